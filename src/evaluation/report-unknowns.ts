import type { NotEvaluated } from '../policy/engine.js';
import type { ReportComponent, ReportSummary } from './report.js';
import { internUnknown, summarizeUnknownFacts } from './unknown-facts.js';

/**
 * Puts what an evaluation did not know into its report: each component's policies not evaluated
 * (with the unknown facts they depend on), and in the summary the components grouped by what was
 * unknown and why, and how many policy checks were not evaluated on how many components.
 */
export function reportUnknowns(summary: ReportSummary, components: ReportComponent[], notEvaluated: readonly NotEvaluated[]): void {
  const affected = new Set<number>();
  for (const n of notEvaluated) {
    const c = components[n.componentIndex];
    const entry = {
      policyId: n.policyId,
      policyName: n.policyName,
      policyThreatLevel: n.threatLevel,
      policyThreatCategory: n.policyType.toUpperCase(),
      unknownFacts: internUnknown(n.unknownFacts),
    };
    if (c.policiesNotEvaluated) c.policiesNotEvaluated.push(entry);
    else c.policiesNotEvaluated = [entry];
    affected.add(n.componentIndex);
  }
  const lines = summarizeUnknownFacts(components.map((c) => c.unknownFacts));
  if (lines.length) summary.unknownFacts = lines;
  if (notEvaluated.length) summary.policiesNotEvaluated = { checks: notEvaluated.length, components: affected.size };
}
