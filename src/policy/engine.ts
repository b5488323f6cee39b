import { type CompiledConstraint, type CompiledPolicy, allHold, compilePolicy, constraintHolds } from './compile.js';
import type { CompileContext } from './conditions/types.js';
import type { ApplicationFacts, ComponentFacts, UnknownFact, VulnerabilityFact } from './facts.js';
import { type ActionTypeId, type Outcome, type Policy, STAGES, type StageId, strongerOutcome } from './model.js';
import { undecidedFacts } from './undecided.js';
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

/**
 * A policy that did not hold for a component but might have, had the facts it reads been known: not
 * evaluated rather than passed. It takes no part in the outcome (unknown facts never fail a build,
 * as in the reference product); reports show and count it.
 */
export interface NotEvaluated {
  policyId: string;
  policyName: string;
  policyType: string;
  threatLevel: number;
  componentIndex: number;
  /** The unknown facts the outcome depends on (the component's own list where all of it does). */
  unknownFacts: readonly UnknownFact[];
}

export interface EvaluationResult {
  stage: StageId;
  /** fail > warn > none over the unwaived violations. */
  outcome: Outcome;
  violations: Violation[];
  /** Policies whose outcome for a component depends on facts not known. */
  notEvaluated: NotEvaluated[];
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
    const notEvaluated: NotEvaluated[] = [];
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
        if (!matched) {
          const unknown = policy.reads && facts.unknownFacts ? undecidedFacts(policy, facts) : undefined;
          if (unknown) {
            notEvaluated.push({
              policyId: policy.policy.id,
              policyName: policy.policy.name,
              policyType: policy.policyType,
              threatLevel: policy.policy.threatLevel,
              componentIndex: i,
              unknownFacts: unknown,
            });
          }
          continue;
        }
        const waiverId = waivers.waiverFor(policy.policy.id, facts);
        const action = policy.actionByStage[stage];
        const constraints: ConstraintViolation[] = [];
        for (const c of matched) constraints.push(explain(c, facts));
        const violation: Violation = {
          policyId: policy.policy.id,
          policyName: policy.policy.name,
          policyOwner: policy.owner,
          policyType: policy.policyType,
          threatLevel: policy.policy.threatLevel,
          componentIndex: i,
          action,
          constraints,
          waived: waiverId !== undefined,
        };
        if (waiverId !== undefined) violation.waiverId = waiverId;
        violations.push(violation);
        if (waiverId === undefined) {
          componentAffected = true;
          if (action) outcome = strongerOutcome(outcome, action);
        }
      }
      if (componentAffected) affected++;
    }
    return { stage: options.stage, outcome, violations, notEvaluated, evaluatedComponents: components.length, affectedComponents: affected };
  }
}

function appliesTo(policy: CompiledPolicy, application: ApplicationFacts): boolean {
  if (!policy.tagIds) return true;
  for (const id of application.categoryIds) if (policy.tagIds.has(id)) return true;
  return false;
}

type Entry = { conditionTypeId: string; conditionIndex: number; summary: string; key: string };
type Reference = NonNullable<ConditionFact['reference']>;

/**
 * The string, flat. A reason built from a template is a rope of five or six pieces until
 * something reads its characters; reasons are kept by the ten thousand (in the report, and
 * cached), and flat they take half the memory and one object each for the collector to walk.
 * Reading one character makes V8 flatten it in place.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

// Every field in the literal, `reference` too when there is none: an object given a property after
// it is made keeps it in a separate array, and tens of thousands of these are kept.
function fact(e: Entry, reason: string, reference?: Reference): ConditionFact {
  return { conditionTypeId: e.conditionTypeId, conditionIndex: e.conditionIndex, summary: e.summary, reason: flat(reason), reference };
}

/**
 * What has been explained about one vulnerability fact: the reference every condition citing it
 * shares, and each condition's explanation under its entry key (a handful per vulnerability, so a
 * list searched in turn, smaller than a map).
 */
class Explained {
  // Grown by concat, which makes arrays of exact size (push keeps 16 spare slots in each).
  keys: readonly string[] = [];
  facts: readonly ConditionFact[] = [];
  readonly reference: Reference;
  constructor(v: VulnerabilityFact) {
    this.reference = { type: 'SECURITY_VULNERABILITY_REFID', value: v.refId };
  }
}

/**
 * Explanations of conditions about vulnerability facts, by fact and condition (its type, place
 * and summary, which say what it tests): a reason about a vulnerability depends on nothing else,
 * and evaluations hand out the same facts for a package version scan after scan, so a warm scan
 * explains nothing twice (tens of thousands of reasons in a big SBOM). Read-only, shared.
 */
const explanations = new WeakMap<VulnerabilityFact, Explained>();

function vulnerabilityFact(e: Entry & { condition: { reason(v: VulnerabilityFact): string } }, v: VulnerabilityFact): ConditionFact {
  let explained = explanations.get(v);
  if (!explained) {
    explained = new Explained(v);
    explanations.set(v, explained);
  }
  const at = explained.keys.indexOf(e.key);
  if (at >= 0) return explained.facts[at];
  const f = fact(e, e.condition.reason(v), explained.reference);
  explained.keys = explained.keys.concat(e.key);
  explained.facts = explained.facts.concat(f);
  return f;
}

/**
 * The reasons of a constraint that holds (built only for violations, without closures or spreads:
 * with thousands of violations per evaluation this is where the time goes).
 */
function explain(constraint: CompiledConstraint, facts: ComponentFacts): ConstraintViolation {
  const conditions: ConditionFact[] = [];
  const and = constraint.operator === 'AND';
  for (const e of constraint.component) {
    if (and || e.condition.test(facts)) conditions.push(fact(e, e.condition.reason(facts)));
  }
  if (and) {
    if (constraint.vulnerability.length) {
      for (const v of facts.vulnerabilities) {
        if (!allHold(constraint.vulnerability, v, facts)) continue;
        for (const e of constraint.vulnerability) conditions.push(vulnerabilityFact(e, v));
      }
    }
  } else {
    for (const e of constraint.vulnerability) {
      for (const v of facts.vulnerabilities) {
        if (e.condition.test(v, facts)) conditions.push(vulnerabilityFact(e, v));
      }
    }
  }
  return { constraintId: constraint.id, constraintName: constraint.name, operator: constraint.operator, conditions };
}
