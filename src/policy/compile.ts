import type { ComponentFacts, KnowableFact, VulnerabilityFact } from './facts.js';
import { conditionType } from './conditions/index.js';
import { type CompileContext, ConditionValueError, type ComponentCondition, type VulnerabilityCondition } from './conditions/types.js';
import { ACTIONS, type ActionTypeId, type Constraint, EXTRA_STAGES, type Policy, STAGES, type ThreatCategory, policyTypeOf } from './model.js';

/** A policy that cannot be saved or evaluated; `problems` lists every one found, each readable on its own. */
export class PolicyDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export interface CompiledConditionEntry {
  conditionTypeId: string;
  conditionIndex: number;
  /** "Security Vulnerability Severity >= 9" */
  summary: string;
  /** Type, place and summary in one string: what the engine remembers explanations of a vulnerability under. */
  key: string;
  /** The facts it reads that may be unknown (ConditionType.reads). */
  reads?: readonly KnowableFact[];
}

export interface CompiledConstraint {
  id: string;
  name: string;
  operator: 'AND' | 'OR';
  component: Array<CompiledConditionEntry & { condition: ComponentCondition }>;
  vulnerability: Array<CompiledConditionEntry & { condition: VulnerabilityCondition }>;
}

export interface CompiledPolicy {
  policy: Policy;
  /** Shared by all of the policy's violations. */
  owner: { ownerType: Policy['ownerType']; ownerId: string };
  policyType: string;
  /** The action for each stage, indexed as STAGES. */
  actionByStage: ReadonlyArray<ActionTypeId | undefined>;
  /** Null: applies to every application; else only to applications in one of these categories. */
  tagIds: ReadonlySet<string> | null;
  constraints: CompiledConstraint[];
  /** Every fact its conditions read that may be unknown; null when none (the engine then never asks). */
  reads: ReadonlySet<KnowableFact> | null;
}

const KNOWN_STAGES: readonly string[] = [...STAGES, ...EXTRA_STAGES];

function summaryOf(name: string, operator: string, value: string): string {
  return [name, operator, value.trim()].filter(Boolean).join(' ');
}

/**
 * Validates and compiles one policy: values parsed, lookup sets built, once. Checks the policy's
 * shape and every condition, and canonicalizes condition type ids (aliases become the reference's
 * spelling) in the policy it returns; throws PolicyDefinitionError listing every problem, not just
 * the first.
 */
export function compilePolicy(policy: Policy, context: CompileContext = {}): CompiledPolicy {
  const problems: string[] = [];
  const where = `Policy "${policy.name}"`;
  if (!policy.name?.trim()) problems.push('A policy needs a name');
  if (!Number.isInteger(policy.threatLevel) || policy.threatLevel < 0 || policy.threatLevel > 10) {
    problems.push(`${where}: the threat level must be a whole number from 0 to 10, not ${policy.threatLevel}`);
  }
  for (const [stage, action] of Object.entries(policy.actions ?? {})) {
    if (!KNOWN_STAGES.includes(stage)) problems.push(`${where}: unknown stage "${stage}" (stages are ${STAGES.join(', ')})`);
    if (!(ACTIONS as readonly string[]).includes(action)) problems.push(`${where}: unknown action "${action}" at ${stage} (use warn or fail)`);
  }
  if (!policy.constraints?.length) problems.push(`${where} needs at least one constraint`);
  const categories = new Set<ThreatCategory>();
  const reads = new Set<KnowableFact>();
  const constraints: CompiledConstraint[] = [];
  const normalized: Constraint[] = [];
  (policy.constraints ?? []).forEach((constraint, ci) => {
    const cwhere = `${where}, constraint "${constraint.name || `#${ci + 1}`}"`;
    if (!constraint.name?.trim()) problems.push(`${where}: constraint #${ci + 1} needs a name`);
    if (constraint.operator !== 'AND' && constraint.operator !== 'OR') problems.push(`${cwhere}: the operator must be AND or OR`);
    if (!constraint.conditions?.length) problems.push(`${cwhere} needs at least one condition`);
    const compiled: CompiledConstraint = { id: constraint.id, name: constraint.name, operator: constraint.operator, component: [], vulnerability: [] };
    const conditions = (constraint.conditions ?? []).map((condition, index) => {
      const type = conditionType(condition.conditionTypeId);
      if (!type) {
        problems.push(`${cwhere}: unknown condition type "${condition.conditionTypeId}"`);
        return { ...condition, conditionIndex: index };
      }
      categories.add(type.category);
      const value = condition.value ?? '';
      try {
        const c = type.compile(condition.operator, value, context);
        const summary = summaryOf(type.name, condition.operator, c.valueLabel ?? value);
        const entry: CompiledConditionEntry = { conditionTypeId: type.id, conditionIndex: index, summary, key: `${type.id}\u0000${index}\u0000${summary}` };
        if (type.reads) {
          entry.reads = type.reads;
          for (const fact of type.reads) reads.add(fact);
        }
        if (c.scope === 'component') compiled.component.push({ ...entry, condition: c });
        else compiled.vulnerability.push({ ...entry, condition: c });
      } catch (err) {
        if (!(err instanceof ConditionValueError)) throw err;
        problems.push(`${cwhere}, condition #${index + 1}: ${err.message}`);
      }
      return { conditionTypeId: type.id, operator: condition.operator, value, conditionIndex: index };
    });
    constraints.push(compiled);
    normalized.push({ id: constraint.id, name: constraint.name, operator: constraint.operator, conditions });
  });
  if (problems.length) throw new PolicyDefinitionError(problems);
  const actions = policy.actions ?? {};
  return {
    policy: { ...policy, constraints: normalized, actions },
    owner: { ownerType: policy.ownerType, ownerId: policy.ownerId },
    policyType: policyTypeOf(categories),
    actionByStage: STAGES.map((s) => actions[s]),
    tagIds: policy.tagIds?.length ? new Set(policy.tagIds) : null,
    constraints,
    reads: reads.size ? reads : null,
  };
}

/** The reference's policyType for a policy (security, license, quality, other), without compiling values. */
export function policyTypeOfPolicy(policy: Pick<Policy, 'constraints'>): string {
  const categories: ThreatCategory[] = [];
  for (const c of policy.constraints) for (const d of c.conditions) {
    const type = conditionType(d.conditionTypeId);
    if (type) categories.push(type.category);
  }
  return policyTypeOf(categories);
}

/** Whether a constraint holds; vulnerability conditions of an AND must hold for one vulnerability. */
export function constraintHolds(constraint: CompiledConstraint, facts: ComponentFacts): boolean {
  if (constraint.operator === 'AND') {
    for (const e of constraint.component) if (!e.condition.test(facts)) return false;
    if (constraint.vulnerability.length === 0) return true;
    for (const v of facts.vulnerabilities) if (allHold(constraint.vulnerability, v, facts)) return true;
    return false;
  }
  for (const e of constraint.component) if (e.condition.test(facts)) return true;
  for (const e of constraint.vulnerability) for (const v of facts.vulnerabilities) if (e.condition.test(v, facts)) return true;
  return false;
}

export function allHold(entries: CompiledConstraint['vulnerability'], v: VulnerabilityFact, facts: ComponentFacts): boolean {
  for (const e of entries) if (!e.condition.test(v, facts)) return false;
  return true;
}
