import { escapeHtml } from './html-escape.js';
import { unknownsHtml } from './html-unknowns.js';
import { type ReportData, type ReportSecurityIssue, scoreSourceOf } from './report.js';
import { unknownFactsText } from './unknown-facts.js';

export interface HtmlReportInput {
  applicationName: string;
  applicationPublicId: string;
  reportId: string;
  stage: string;
  evaluationDate: string;
  policyAction: string;
  /** The tool that submitted the SBOM (the third-party scan's source: cyclonedx, auditjs, …). */
  source?: string;
  data: ReportData;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2733}
h1{font-size:1.4rem;margin:0 0 .25rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #d9dee4;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}.action{font-weight:600;padding:.1rem .5rem;border-radius:3px}
.Failure{background:#fbe3e3;color:#9b1c1c}.Warning{background:#fff4d6;color:#7a5200}.None{background:#e5f5e8;color:#1e6b32}
.muted{color:#5c6b7a}code{font-size:.9em}.unscored{font-weight:600;color:#9b1c1c}`;

/**
 * An issue's score and where it came from: "7.5 · osv:PYSEC-2021-9", "8.0 · rated HIGH ·
 * qualitative:GHSA-…"; an issue nothing scores is marked UNSCORED, never left blank.
 */
function scoreHtml(i: ReportSecurityIssue): string {
  const source = scoreSourceOf(i);
  if (source === 'unscored') return ' <span class="unscored">UNSCORED</span>';
  const rating = i.scoreRating ? ` · rated ${escapeHtml(i.scoreRating)}` : '';
  const score = i.severity === undefined ? 'no score' : i.severity.toFixed(1);
  return ` <span class="muted">${score}${rating} · ${escapeHtml(source)}</span>`;
}

/**
 * A report as one self-contained, server-rendered page: the policy action, the violations (worst
 * first) and every component with its licenses and vulnerabilities. Every value is escaped: SBOM
 * fields are input from anyone who may scan.
 */
export function renderReportHtml(input: HtmlReportInput): string {
  const { data } = input;
  const s = data.summary;
  const violations = data.components
    .flatMap((c) => c.violations.map((v) => ({ c, v })))
    .sort((a, b) => b.v.policyThreatLevel - a.v.policyThreatLevel || a.c.displayName.localeCompare(b.c.displayName));
  const rows = violations
    .map(({ c, v }) => {
      const reasons = v.constraints.flatMap((k) => k.conditions.map((f) => escapeHtml(f.reason))).join('<br>');
      return `<tr><td>${v.policyThreatLevel}</td><td>${escapeHtml(v.policyName)}${v.waived ? ' <span class="muted">(waived)</span>' : ''}</td><td>${escapeHtml(c.displayName)}</td><td>${escapeHtml(v.constraints.map((k) => k.constraintName).join(', '))}</td><td>${reasons}</td></tr>`;
    })
    .join('\n');
  const components = data.components
    .map((c) => {
      const licenses = c.licenseData.effectiveLicenses.map((l) => escapeHtml(l.licenseId)).join(', ') + licenseNote(c);
      const vulns = c.securityIssues
        .map((i) => `${escapeHtml(i.reference)}${scoreHtml(i)}${i.fixVersion ? ` fixed in ${escapeHtml(i.fixVersion)}` : ''}`)
        .join('<br>');
      const dep = c.dependency ? (c.dependency.direct ? 'direct' : 'transitive') : '';
      return `<tr><td>${escapeHtml(c.displayName)}<br><code class="muted">${escapeHtml(c.packageUrl ?? c.hash)}</code></td><td>${escapeHtml(c.matchState)}</td><td>${dep}</td><td>${licenses}</td><td>${vulns}</td><td>${c.violations.length}</td></tr>`;
    })
    .join('\n');
  const issues = data.components.flatMap((c) => c.securityIssues);
  const findings = issues.length;
  const unscored = issues.filter((i) => scoreSourceOf(i) === 'unscored').length;
  const action = escapeHtml(input.policyAction);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Report for ${escapeHtml(input.applicationName)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>Report for ${escapeHtml(input.applicationName)}</h1>
<p class="muted">Application ${escapeHtml(input.applicationPublicId)} · stage ${escapeHtml(input.stage)} · evaluated ${escapeHtml(input.evaluationDate)} · report ${escapeHtml(input.reportId)}${input.source ? ` · source: ${escapeHtml(input.source)}` : ''}</p>
<p>Policy action: <span class="action ${action}">${action}</span></p>
<p>${s.totalComponents} components (${s.knownComponents} identified), ${s.affectedComponents} affected; open violations: ${s.openViolations.critical} critical, ${s.openViolations.severe} severe, ${s.openViolations.moderate} moderate.</p>
<p>${findings} vulnerability findings, ${unscored ? `<span class="unscored">${unscored} unscored</span>` : 'none unscored'} (unscored: no CVSS vector or rating is known for it).</p>
${unknownsHtml(data)}
<h2>Policy violations</h2>
${violations.length ? `<table><thead><tr><th>Threat</th><th>Policy</th><th>Component</th><th>Constraint</th><th>Reasons</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No policy violations.</p>'}
<h2>Components</h2>
<table><thead><tr><th>Component</th><th>Match</th><th>Dependency</th><th>Licenses</th><th>Vulnerabilities</th><th>Violations</th></tr></thead><tbody>
${components}
</tbody></table>
</body></html>
`;
}

/** Where the license came from when not the SBOM, or why it may still change. */
function licenseNote(c: ReportData['components'][number]): string {
  const unknown = c.unknownFacts?.filter((u) => u.fact === 'license');
  if (unknown?.length) return `<br><span class="muted">may change: ${escapeHtml(unknownFactsText(unknown))}</span>`;
  if (c.licenseSource && c.licenseSource !== 'sbom') return `<br><span class="muted">from ${escapeHtml(c.licenseSource)}</span>`;
  return '';
}
