import { type CompiledConstraint, type CompiledPolicy, allHold, compilePolicy, constraintHolds } from './compile.js';
import type { CompileContext } from './conditions/types.js';
import type { ApplicationFacts, ComponentFacts } from './facts.js';
import { type ActionTypeId, type Outcome, type Policy, STAGES, type StageId, strongerOutcome } from './model.js';
import { type WaiverInput, WaiverIndex } from './waivers.js';

/** One condition's part in a violation: the reference's ConditionFact. */
export interface ConditionFact {
  conditionTypeId: string;
  conditionIndex: number;
  summary: string;
  reason: string;
  reference?: { type: 'SECURITY_VULNERABILITY_REFID'; value: string };
}

export interface ConstraintViolation {
  constraintId: string;
  constraintName: string;
  operator: 'AND' | 'OR';
  conditions: ConditionFact[];
}

export interface Violation {
  policyId: string;
  policyName: string;
  policyOwner: { ownerType: Policy['ownerType']; ownerId: string };
  policyType: string;
  threatLevel: number;
  /** Index of the component in the input list. */
  componentIndex: number;
  /** The policy's action at the evaluated stage; undefined when it only reports. */
  action?: ActionTypeId;
  constraints: ConstraintViolation[];
  waived: boolean;
  waiverId?: string;
}

export interface EvaluationResult {
  stage: StageId;
  /** fail > warn > none over the unwaived violations. */
  outcome: Outcome;
  violations: Violation[];
  evaluatedComponents: number;
  /** Components with at least one unwaived violation. */
  affectedComponents: number;
}

export interface EvaluationOptions {
  stage: StageId;
  waivers?: readonly WaiverInput[];
  /** The evaluated application's owner chain (application, its organizations, root): waivers made elsewhere do not apply. */
  ownerIds?: readonly string[];
  now?: Date;
}

/** Policies compiled once, evaluated against any number of components. */
export class PolicyEngine {
  readonly policies: readonly CompiledPolicy[];

  constructor(policies: readonly (Policy | CompiledPolicy)[], context: CompileContext = {}) {
    this.policies = policies.map((p) => ('actionByStage' in p ? p : compilePolicy(p, context)));
  }

  evaluate(components: readonly ComponentFacts[], options: EvaluationOptions): EvaluationResult {
    const stage = STAGES.indexOf(options.stage);
    if (stage < 0) throw new RangeError(`Unknown stage "${options.stage}"`);
    const waivers = new WaiverIndex(options.waivers ?? [], { ownerIds: options.ownerIds, now: options.now });
    const violations: Violation[] = [];
    let outcome: Outcome = 'none';
    let affected = 0;
    let lastApplication: ApplicationFacts | undefined;
    let applicable: CompiledPolicy[] = [];
    for (let i = 0; i < components.length; i++) {
      const facts = components[i];
      // Which policies apply depends only on the application; components share its object.
      if (facts.application !== lastApplication) {
        lastApplication = facts.application;
        applicable = this.policies.filter((p) => appliesTo(p, facts.application));
      }
      let componentAffected = false;
      for (const policy of applicable) {
        let matched: CompiledConstraint[] | undefined;
        for (const constraint of policy.constraints) {
          if (!constraintHolds(constraint, facts)) continue;
          if (matched) matched.push(constraint);
          else matched = [constraint];
        }
        if (!matched) continue;
        const waiverId = waivers.waiverFor(policy.policy.id, facts);
        const action = policy.actionByStage[stage];
        violations.push({
          policyId: policy.policy.id,
          policyName: policy.policy.name,
          policyOwner: { ownerType: policy.policy.ownerType, ownerId: policy.policy.ownerId },
          policyType: policy.policyType,
          threatLevel: policy.policy.threatLevel,
          componentIndex: i,
          action,
          constraints: matched.map((c) => explain(c, facts)),
          waived: waiverId !== undefined,
          ...(waiverId ? { waiverId } : {}),
        });
        if (waiverId === undefined) {
          componentAffected = true;
          if (action) outcome = strongerOutcome(outcome, action);
        }
      }
      if (componentAffected) affected++;
    }
    return { stage: options.stage, outcome, violations, evaluatedComponents: components.length, affectedComponents: affected };
  }
}

function appliesTo(policy: CompiledPolicy, application: ApplicationFacts): boolean {
  if (!policy.tagIds) return true;
  for (const id of application.categoryIds) if (policy.tagIds.has(id)) return true;
  return false;
}

/** The reasons of a constraint that holds (only built for violations). */
function explain(constraint: CompiledConstraint, facts: ComponentFacts): ConstraintViolation {
  const conditions: ConditionFact[] = [];
  const base = (e: { conditionTypeId: string; conditionIndex: number; summary: string }) => ({
    conditionTypeId: e.conditionTypeId,
    conditionIndex: e.conditionIndex,
    summary: e.summary,
  });
  const and = constraint.operator === 'AND';
  for (const e of constraint.component) {
    if (and || e.condition.test(facts)) conditions.push({ ...base(e), reason: e.condition.reason(facts) });
  }
  if (and) {
    for (const v of facts.vulnerabilities) {
      if (!allHold(constraint.vulnerability, v, facts)) continue;
      for (const e of constraint.vulnerability) {
        conditions.push({ ...base(e), reason: e.condition.reason(v, facts), reference: { type: 'SECURITY_VULNERABILITY_REFID', value: v.refId } });
      }
    }
  } else {
    for (const e of constraint.vulnerability) {
      for (const v of facts.vulnerabilities) {
        if (!e.condition.test(v, facts)) continue;
        conditions.push({ ...base(e), reason: e.condition.reason(v, facts), reference: { type: 'SECURITY_VULNERABILITY_REFID', value: v.refId } });
      }
    }
  }
  return { constraintId: constraint.id, constraintName: constraint.name, operator: constraint.operator, conditions };
}

/** One-shot convenience: compile and evaluate. Keep a PolicyEngine to evaluate many times. */
export function evaluatePolicies(policies: readonly Policy[], components: readonly ComponentFacts[], options: EvaluationOptions): EvaluationResult {
  return new PolicyEngine(policies).evaluate(components, options);
}
