import type { SbomVulnerabilityAnalysis } from '../../sbom/model.js';
import type { ReportSecurityIssue } from '../report.js';
import { type SecurityIssue, statusName } from '../vulnerabilities.js';

/** The input SBOM's VEX statements about one component, by vulnerability id. */
export type ComponentAnalyses = Map<string, SbomVulnerabilityAnalysis>;

/** Step 4: the input SBOM's VEX statements indexed by the component they speak about (ref), then by vulnerability id. */
export function indexAnalyses(analyses: readonly SbomVulnerabilityAnalysis[] | undefined): Map<string, ComponentAnalyses> {
  const analysisByRef = new Map<string, ComponentAnalyses>();
  for (const a of analyses ?? []) {
    for (const ref of a.affects) {
      const m = analysisByRef.get(ref) ?? new Map();
      m.set(a.id, a);
      analysisByRef.set(ref, m);
    }
  }
  return analysisByRef;
}

/**
 * A security issue as report data, with the VEX statement about its vulnerability (its id or an
 * alias) where the component has one. Without statements the report issue is shared, like the
 * issue (read-only).
 */
export function reportIssue(issue: SecurityIssue, analyses: ComponentAnalyses | undefined): ReportSecurityIssue {
  if (analyses) return buildReportIssue(issue, analyses);
  issue.report ??= buildReportIssue(issue, undefined);
  return issue.report;
}

function buildReportIssue(issue: SecurityIssue, analyses: ComponentAnalyses | undefined): ReportSecurityIssue {
  const f = issue.fact;
  // Every field in the literal (see buildIssue in vulnerabilities.ts).
  const out: ReportSecurityIssue = {
    reference: f.refId,
    aliases: f.aliases, // the index's list, shared and read-only
    source: issue.source,
    url: issue.url,
    status: statusName(f.status),
    severity: f.severity,
    cvssVector: f.cvssVector || undefined,
    scoreSource: f.scoreSource,
    scoreRating: f.scoreRating || undefined,
    threatCategory: f.threatCategory || undefined,
    cwe: f.cweIds.length ? f.cweIds[0] : undefined,
    fixVersion: f.fixVersion || undefined,
    summary: issue.summary || undefined,
    analysis: undefined,
  };
  if (analyses) {
    const a = [f.refId, ...f.aliases].map((id) => analyses.get(id)).find(Boolean);
    if (a) {
      out.analysis = {};
      if (a.state) out.analysis.state = a.state;
      if (a.justification) out.analysis.justification = a.justification;
      if (a.response?.length) out.analysis.response = a.response.join(', ');
      if (a.detail) out.analysis.detail = a.detail;
    }
  }
  return out;
}
