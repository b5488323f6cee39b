import type { IqClient } from './iq-client.js';

/**
 * What `tollgate evaluate` tells about a finished report beyond the counts: the components that
 * violate a policy (from the policy report), the version that fixes each of their vulnerabilities
 * where known (the CycloneDX export's recommendations), and lines about the report as a whole
 * (from the raw report, formatReportSummary). All through reference endpoints, so IQ Server
 * answers them too; a detail a server cannot give is left out, never fatal.
 */

export interface Fix {
  vulnerability: string;
  version: string;
}

export interface ViolatingComponent {
  component: string;
  packageUrl?: string;
  /** Worst first. */
  violations: Array<{ policy: string; threatLevel: number; category?: string; reasons: string[] }>;
  /** Versions that fix the vulnerabilities its violations name. */
  fixes: Fix[];
}

export interface ReportDetails {
  /** Worst threat first, then by name. */
  components: ViolatingComponent[];
  /** Lines about the report as a whole (formatReportSummary). */
  summary: string[];
  /** Why some details are missing, when the server could not give them. */
  unavailable: string[];
}

interface PolicyReport {
  components?: Array<{
    displayName?: string;
    packageUrl?: string;
    hash?: string;
    violations?: Array<{
      policyName?: string;
      policyThreatLevel?: number;
      policyThreatCategory?: string;
      waived?: boolean;
      grandfathered?: boolean;
      constraints?: Array<{ conditions?: Array<{ conditionReason?: string }> }>;
    }>;
  }>;
}

/** The reference's ApiReportRawDataDTOV2, as far as the summary reads it. */
export interface RawReport {
  components?: Array<Record<string, unknown> & { securityData?: { securityIssues?: Array<{ cvssVectorSource?: string }> } }>;
  matchSummary?: { knownComponentCount?: number; totalComponentCount?: number };
  /** Tollgate's extension (absent from IQ Server's answers): what the evaluation could not know. */
  tollgate?: {
    unknownFacts?: Array<{ text?: string }>;
    policiesNotEvaluated?: { checks?: number; components?: number };
  };
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * Lines about the whole report, from its raw data, each one short sentence: the components, the
 * vulnerability findings no score could be found for (Tollgate names a score's source in
 * `cvssVectorSource`), the facts that could not be determined, and the policies that could not be
 * evaluated because of them. Lines about what a server does not report are left out.
 */
export function formatReportSummary(raw: RawReport): string[] {
  const lines: string[] = [];
  const m = raw.matchSummary;
  if (m?.totalComponentCount !== undefined) {
    const known = m.knownComponentCount ?? 0;
    const unknown = m.totalComponentCount - known;
    lines.push(`${plural(m.totalComponentCount, 'component')}, ${known} identified${unknown > 0 ? `, ${unknown} unknown` : ''}`);
  }
  const issues = (raw.components ?? []).flatMap((c) => c.securityData?.securityIssues ?? []);
  const unscored = issues.filter((i) => i.cvssVectorSource === 'unscored').length;
  if (unscored > 0) {
    lines.push(`${plural(unscored, 'vulnerability finding')} of ${issues.length} ${unscored === 1 ? 'has' : 'have'} no severity score (no CVSS vector or rating is known): the Security-Unscored policy reports them`);
  }
  for (const fact of raw.tollgate?.unknownFacts ?? []) if (fact.text) lines.push(`unknown: ${fact.text}`);
  const notEvaluated = raw.tollgate?.policiesNotEvaluated;
  if (notEvaluated?.checks) {
    lines.push(`${plural(notEvaluated.checks, 'policy check')} on ${plural(notEvaluated.components ?? 0, 'component')} could not be evaluated for want of those facts (listed in the report)`);
  }
  return lines;
}

/** `api/v2/applications/{publicId}/reports/{scanId}/raw` → its parts. */
function reportPaths(reportDataUrl: string | undefined): { raw: string; policy: string; scanId: string } | undefined {
  const match = /(?:^|\/)(api\/v2\/applications\/[^/]+\/reports\/([^/?#]+))\/raw(?:[?#].*)?$/.exec(reportDataUrl ?? '');
  if (!match) return undefined;
  return { raw: `${match[1]}/raw`, policy: `${match[1]}/policy`, scanId: match[2] };
}

/** The fix versions the CycloneDX export recommends, by package URL. */
async function fixesByPackageUrl(client: IqClient, applicationId: string, scanId: string): Promise<Map<string, Fix[]>> {
  const { text, status } = await client.request('GET', `/api/v2/cycloneDx/1.6/${encodeURIComponent(applicationId)}/reports/${encodeURIComponent(scanId)}`, undefined, 'application/json');
  if (status !== 200) throw new Error(`the CycloneDX export answered ${status}`);
  const bom = JSON.parse(text) as {
    components?: Array<{ 'bom-ref'?: string; purl?: string }>;
    vulnerabilities?: Array<{ id?: string; recommendation?: string; affects?: Array<{ ref?: string }> }>;
  };
  const purlOf = new Map((bom.components ?? []).filter((c) => c['bom-ref'] && c.purl).map((c) => [c['bom-ref'] as string, c.purl as string]));
  const out = new Map<string, Fix[]>();
  for (const v of bom.vulnerabilities ?? []) {
    const version = /upgrade to (?:version )?v?(\S+?)(?: or later)?\.?$/i.exec(v.recommendation ?? '')?.[1];
    if (!v.id || !version) continue;
    for (const a of v.affects ?? []) {
      const purl = a.ref ? purlOf.get(a.ref) : undefined;
      if (!purl) continue;
      const list = out.get(purl) ?? [];
      if (!list.some((f) => f.vulnerability === v.id)) list.push({ vulnerability: v.id, version });
      out.set(purl, list);
    }
  }
  return out;
}

function violatingComponents(report: PolicyReport, fixes: Map<string, Fix[]>): ViolatingComponent[] {
  const out: ViolatingComponent[] = [];
  for (const c of report.components ?? []) {
    const violations = (c.violations ?? [])
      .filter((v) => !v.waived && !v.grandfathered)
      .map((v) => ({
        policy: v.policyName ?? '(unnamed policy)',
        threatLevel: v.policyThreatLevel ?? 0,
        category: v.policyThreatCategory,
        reasons: [...new Set((v.constraints ?? []).flatMap((k) => (k.conditions ?? []).map((f) => f.conditionReason ?? '')).filter(Boolean))],
      }))
      .sort((a, b) => b.threatLevel - a.threatLevel || a.policy.localeCompare(b.policy));
    if (!violations.length) continue;
    const reasons = violations.flatMap((v) => v.reasons).join('\n');
    // The fixes of the vulnerabilities its violations name (a license violation names none).
    const known = (c.packageUrl ? fixes.get(c.packageUrl) : undefined) ?? [];
    const entry: ViolatingComponent = {
      component: c.displayName || c.packageUrl || c.hash || '(unnamed component)',
      violations,
      fixes: known.filter((f) => reasons.includes(f.vulnerability)),
    };
    if (c.packageUrl) entry.packageUrl = c.packageUrl;
    out.push(entry);
  }
  return out.sort((a, b) => b.violations[0].threatLevel - a.violations[0].threatLevel || a.component.localeCompare(b.component));
}

/** Reads the details of a finished report; what a server cannot answer is listed in `unavailable`. */
export async function fetchReportDetails(client: IqClient, applicationId: string, reportDataUrl: string | undefined): Promise<ReportDetails> {
  const details: ReportDetails = { components: [], summary: [], unavailable: [] };
  const paths = reportPaths(reportDataUrl);
  if (!paths) {
    details.unavailable.push('the result names no report data');
    return details;
  }
  const [policy, fixes, raw] = await Promise.allSettled([
    client.json<PolicyReport>('GET', paths.policy),
    fixesByPackageUrl(client, applicationId, paths.scanId),
    client.json<RawReport>('GET', paths.raw),
  ]);
  const fixMap = fixes.status === 'fulfilled' ? fixes.value : new Map<string, Fix[]>();
  if (policy.status === 'fulfilled') details.components = violatingComponents(policy.value.body ?? {}, fixMap);
  else details.unavailable.push(`policy violations: ${(policy.reason as Error).message}`);
  if (fixes.status === 'rejected') details.unavailable.push(`fix versions: ${(fixes.reason as Error).message}`);
  if (raw.status === 'fulfilled') details.summary = formatReportSummary(raw.value.body ?? {});
  else details.unavailable.push(`report summary: ${(raw.reason as Error).message}`);
  return details;
}
