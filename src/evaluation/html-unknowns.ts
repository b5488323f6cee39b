import { escapeHtml } from './html-escape.js';
import type { ReportData } from './report.js';
import { unknownFactsLineText, unknownFactsText } from './unknown-facts.js';

/**
 * The report page's account of what the evaluation did not know: the components with unknown facts
 * by reason (and what happens next), and the policies not evaluated for want of them, by policy and
 * reason, with how many components each. Empty when everything was known.
 */
export function unknownsHtml(data: ReportData): string {
  const lines = data.summary.unknownFacts ?? [];
  const groups = new Map<string, { level: number; policy: string; why: string; components: number }>();
  for (const c of data.components) {
    for (const n of c.policiesNotEvaluated ?? []) {
      const why = unknownFactsText(n.unknownFacts);
      const key = `${n.policyId}\u0000${why}`;
      const group = groups.get(key) ?? { level: n.policyThreatLevel, policy: n.policyName, why, components: 0 };
      group.components++;
      groups.set(key, group);
    }
  }
  if (!lines.length && !groups.size) return '';
  const parts = ['<h2>Unknown facts</h2>'];
  if (lines.length) parts.push(`<ul>${lines.map((l) => `<li>${escapeHtml(unknownFactsLineText(l))}</li>`).join('')}</ul>`);
  if (groups.size) {
    const counted = data.summary.policiesNotEvaluated;
    parts.push(
      `<p>Policies not evaluated${counted ? ` (${counted.checks.toLocaleString('en')} on ${counted.components.toLocaleString('en')} components)` : ''}: ` +
        'each might have been violated had the facts been known. They neither pass nor count toward the policy action.</p>',
    );
    const rows = [...groups.values()]
      .sort((a, b) => b.level - a.level || b.components - a.components || a.policy.localeCompare(b.policy))
      .map((g) => `<tr><td>${g.level}</td><td>${escapeHtml(g.policy)}</td><td>${g.components.toLocaleString('en')}</td><td>not evaluated: ${escapeHtml(g.why)}</td></tr>`)
      .join('\n');
    parts.push(`<table><thead><tr><th>Threat</th><th>Policy</th><th>Components</th><th>Why</th></tr></thead><tbody>\n${rows}\n</tbody></table>`);
  }
  return parts.join('\n');
}
