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
  if (!unknown?.length || !policy.reads || !unknown.some((u) => policy.reads!.has(u.fact))) return undefined;
  let found: UnknownFact[] | undefined;
  for (const constraint of policy.constraints) {
    const depends = constraintDependsOn(constraint, facts, unknown);
    if (!depends) continue;
    found ??= [];
    for (const u of depends) if (!found.includes(u)) found.push(u);
  }
  // The component's own list when all of it counts: shared, like the list itself.
  return found && found.length === unknown.length ? unknown : found;
}

function constraintDependsOn(constraint: CompiledConstraint, facts: ComponentFacts, unknown: readonly UnknownFact[]): UnknownFact[] | undefined {
  const unknownRead = (reads: CompiledConstraint['component'][number]['reads']) => (reads ? unknown.filter((u) => reads.includes(u.fact)) : []);
  const depends: UnknownFact[] = [];
  if (constraint.operator === 'OR') {
    for (const e of constraint.component) depends.push(...unknownRead(e.reads));
    return depends.length ? depends : undefined;
  }
  for (const e of constraint.component) {
    if (e.condition.test(facts)) continue;
    const read = unknownRead(e.reads);
    // A condition over known facts fails: the constraint fails whatever the unknown ones are.
    if (!read.length) return undefined;
    depends.push(...read);
  }
  if (!depends.length) return undefined;
  if (constraint.vulnerability.length && !facts.vulnerabilities.some((v) => allHold(constraint.vulnerability, v, facts))) return undefined;
  return depends;
}
