import { newIds } from '../../core/ids.js';
import type { EvaluationResult } from '../../policy/engine.js';
import type { DependencyInfo } from '../../sbom/graph.js';
import type { IdentifiedComponent } from '../identify.js';
import { type ReportComponent, type ReportData, type ReportSummary, type ReportViolation, threatBand } from '../report.js';
import { reportUnknowns } from '../report-unknowns.js';

/**
 * Step 7: the report. The policy engine's violations go to their components (with new violation
 * ids) and are counted in the summary by threat band, with what was not known or not evaluated;
 * the dependency graph by component index where the input had one. Waived violations stay in the
 * report (waived: true) but count toward neither the action nor the open counts.
 */
export function assembleReport(
  components: readonly IdentifiedComponent[],
  reportComponents: ReportComponent[],
  result: EvaluationResult,
  graph: { dependencies?: Map<string, DependencyInfo>; edges?: Map<string, string[]> },
): ReportData {
  const summary: ReportSummary = {
    outcome: result.outcome,
    totalComponents: components.length,
    knownComponents: components.filter((c) => c.matchState === 'exact').length,
    affectedComponents: result.affectedComponents,
    openViolations: { critical: 0, severe: 0, moderate: 0 },
    componentsAffected: { critical: 0, severe: 0, moderate: 0 },
    waivedViolations: 0,
  };
  const worst = new Map<number, number>();
  const violationIds = newIds(result.violations.length);
  result.violations.forEach((v, n) => {
    const violation: ReportViolation = {
      policyViolationId: violationIds[n],
      policyId: v.policyId,
      policyName: v.policyName,
      policyThreatLevel: v.threatLevel,
      policyThreatCategory: v.policyType.toUpperCase(),
      waived: v.waived,
      constraints: v.constraints,
    };
    if (v.action) violation.action = v.action;
    reportComponents[v.componentIndex].violations.push(violation);
    if (v.waived) {
      summary.waivedViolations++;
      return;
    }
    const band = threatBand(v.threatLevel);
    if (band !== 'low') summary.openViolations[band]++;
    worst.set(v.componentIndex, Math.max(worst.get(v.componentIndex) ?? -1, v.threatLevel));
  });
  for (const level of worst.values()) {
    const band = threatBand(level);
    if (band !== 'low') summary.componentsAffected[band]++;
  }
  reportUnknowns(summary, reportComponents, result.notEvaluated);
  const data: ReportData = { version: 1, components: reportComponents, summary };
  if (graph.dependencies && graph.edges) data.graph = graphOf(components, graph.dependencies, graph.edges);
  return data;
}

/** The dependency graph by component index (components named twice in the input count once). */
function graphOf(components: readonly IdentifiedComponent[], dependencies: Map<string, DependencyInfo>, edges: Map<string, string[]>): NonNullable<ReportData['graph']> {
  const indexOf = new Map<string, number>();
  components.forEach((c, i) => {
    indexOf.set(c.ref, i);
  });
  const roots: number[] = [];
  const children: Record<number, number[]> = {};
  components.forEach((c, i) => {
    if (dependencies.get(c.ref)?.direct) roots.push(i);
    const list = [...new Set((edges.get(c.ref) ?? []).map((r) => indexOf.get(r)).filter((j): j is number => j !== undefined && j !== i))];
    if (list.length) children[i] = list;
  });
  return { roots, children };
}
