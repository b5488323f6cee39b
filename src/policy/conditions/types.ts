import type { ComponentFacts, KnowableFact, VulnerabilityFact } from '../facts.js';
import type { ThreatCategory } from '../model.js';

/**
 * One condition type: what the reference calls a ConditionType. A module per type validates the
 * operator and value once, when a policy is saved or compiled, and returns a compiled condition
 * whose test reads only facts (no parsing, no allocation on the hot path).
 */
export interface ConditionType {
  /** The reference's conditionTypeId, as its policy export writes it. */
  readonly id: string;
  /** Other spellings accepted on input and stored as `id`. */
  readonly aliases?: readonly string[];
  /** The label the reference's UI shows, used in summaries ("Security Vulnerability Severity >= 9"). */
  readonly name: string;
  readonly category: ThreatCategory;
  readonly operators: readonly string[];
  /** Not in the reference product: Tollgate's own. */
  readonly tollgate?: boolean;
  /**
   * The facts the condition reads that an evaluation may not know: where one is unknown, the
   * engine reports the policy as not evaluated for the component instead of letting it pass.
   */
  readonly reads?: readonly KnowableFact[];
  /** Throws ConditionValueError with a message a person understands. */
  compile(operator: string, value: string, context: CompileContext): CompiledCondition;
}

/**
 * What a compiled condition tests. Component conditions test the component as a whole.
 * Vulnerability conditions test one vulnerability at a time, so that the conditions of one AND
 * constraint must all hold for the same vulnerability ("severity >= 7 AND status is not
 * NOT_APPLICABLE" means one vulnerability that is both), as in the reference.
 */
export type CompiledCondition = ComponentCondition | VulnerabilityCondition;

export interface ComponentCondition {
  readonly scope: 'component';
  /** How the value reads in summaries when the id alone says little (a group's or label's name). */
  readonly valueLabel?: string;
  test(facts: ComponentFacts): boolean;
  /** Why it holds for these facts; called only for violations. */
  reason(facts: ComponentFacts): string;
}

export interface VulnerabilityCondition {
  readonly scope: 'vulnerability';
  readonly valueLabel?: string;
  test(vulnerability: VulnerabilityFact, facts: ComponentFacts): boolean;
  /**
   * Why it holds for the vulnerability, from the vulnerability alone: the engine keeps the
   * explanation of a condition about a vulnerability fact and cites it again wherever it holds.
   */
  reason(vulnerability: VulnerabilityFact): string;
}

/** Ids a value may refer to. A set that is absent is not checked (the feature has no store yet). */
export interface CompileContext {
  licenseThreatGroups?: ReadonlyMap<string, { name: string }>;
  labels?: ReadonlyMap<string, { name: string }>;
  applicationCategories?: ReadonlyMap<string, { name: string }>;
}

/** A value or operator a condition type does not accept. */
export class ConditionValueError extends Error {}

export function checkOperator(type: Pick<ConditionType, 'name' | 'operators'>, operator: string): void {
  if (!type.operators.includes(operator)) {
    throw new ConditionValueError(
      `${type.name} does not support the operator "${operator}" (use ${type.operators.map((o) => `"${o}"`).join(' or ')})`,
    );
  }
}

export function noValue(type: Pick<ConditionType, 'name'>, value: string): void {
  if (value.trim() !== '') throw new ConditionValueError(`${type.name} takes no value, but "${value}" was given`);
}

/** A number within bounds; `whole` refuses fractions. */
export function parseNumber(type: Pick<ConditionType, 'name'>, value: string, min: number, max: number, whole = false): number {
  const text = value.trim();
  const n = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
    throw new ConditionValueError(`${type.name} needs ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** One of a fixed list of values, compared case-insensitively and returned in the list's spelling. */
export function oneOf(type: Pick<ConditionType, 'name'>, value: string, allowed: readonly string[]): string {
  const found = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new ConditionValueError(`${type.name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return found;
}

/** A comma-separated list of non-empty items. */
export function listOf(type: Pick<ConditionType, 'name'>, value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new ConditionValueError(`${type.name} needs a value`);
  return items;
}

export type Comparison = '=' | '<' | '<=' | '>' | '>=';
export const COMPARISONS: readonly Comparison[] = ['=', '<', '<=', '>', '>='];

/** A comparison as a function built once. */
export function comparator(operator: string, bound: number): (n: number) => boolean {
  switch (operator) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
    default:
      throw new ConditionValueError(`Unknown comparison "${operator}"`);
  }
}

/** A score as the reference writes it in reasons: one decimal (5.0, 9.8). */
export function score(n: number): string {
  return n.toFixed(1);
}
