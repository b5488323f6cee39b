import { allHold, type CompiledConstraint, type CompiledPolicy } from './compile.js';
import type { ComponentFacts, UnknownFact } from './facts.js';

/**
 * When a policy does not hold for a component, whether it might have held had an unknown fact been
 * known: the unknown facts its outcome depends on, or undefined when it does not depend on any.
 *
 * A condition over an unknown fact never holds (an unknown age is not "older than" anything), so a
 * policy would pass silently. Here each such condition is taken as possibly holding: an AND
 * constraint depends on the unknown facts when every other condition holds (and, with
 * vulnerability conditions, some vulnerability meets them all); an OR constraint whenever one of
 * its conditions reads an unknown fact. Called only for policies that did not hold, that read such
 * facts, for components with unknown facts: the rest of the engine's work is untouched.
 */
export function undecidedFacts(policy: CompiledPolicy, facts: ComponentFacts): readonly UnknownFact[] | undefined {
  const unknown = facts.unknownFacts;
  const reads = policy.reads;
  if (!unknown?.length || !reads || !unknown.some((u) => reads.has(u.fact))) return undefined;
  let mask = 0;
  for (const constraint of policy.constraints) mask |= constraintDependsOn(constraint, facts, unknown);
  return mask ? subset(unknown, mask) : undefined;
}

/** Which of the component's unknown facts (bits by position in its list) the constraint depends on; 0: none. */
function constraintDependsOn(constraint: CompiledConstraint, facts: ComponentFacts, unknown: readonly UnknownFact[]): number {
  let depends = 0;
  if (constraint.operator === 'OR') {
    for (const e of constraint.component) if (e.reads) depends |= unknownRead(e.reads, unknown);
    return depends;
  }
  for (const e of constraint.component) {
    if (e.condition.test(facts)) continue;
    const read = e.reads ? unknownRead(e.reads, unknown) : 0;
    // A condition over known facts fails: the constraint fails whatever the unknown ones are.
    if (!read) return 0;
    depends |= read;
  }
  if (!depends) return 0;
  if (constraint.vulnerability.length && !facts.vulnerabilities.some((v) => allHold(constraint.vulnerability, v, facts))) return 0;
  return depends;
}

function unknownRead(reads: readonly string[], unknown: readonly UnknownFact[]): number {
  let bits = 0;
  for (let i = 0; i < unknown.length && i < 31; i++) if (reads.includes(unknown[i].fact)) bits |= 1 << i;
  return bits;
}

/**
 * The part of a component's list named by `mask`: the list itself when all of it, else a frozen
 * list kept with it, so that the thousands of components sharing a list share its parts too.
 */
const subsets = new WeakMap<readonly UnknownFact[], Map<number, readonly UnknownFact[]>>();

function subset(list: readonly UnknownFact[], mask: number): readonly UnknownFact[] {
  if (mask === (1 << Math.min(list.length, 31)) - 1) return list;
  let parts = subsets.get(list);
  if (!parts) {
    parts = new Map();
    subsets.set(list, parts);
  }
  let part = parts.get(mask);
  if (!part) {
    part = Object.freeze(list.filter((_, i) => mask & (1 << i)));
    parts.set(mask, part);
  }
  return part;
}
