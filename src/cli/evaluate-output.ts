import type { ReportDetails, ViolatingComponent } from './report-details.js';
import type { Counter, ScanResult } from './scan-result.js';

/** A finished evaluation as `tollgate evaluate` reports it. */
export interface Outcome {
  application: string;
  stage: string;
  result: ScanResult;
  exitCode: number;
  reportUrl?: string;
  details?: ReportDetails;
}

/** Violating components shown in the text output; --json lists them all. */
export const SHOWN_COMPONENTS = 50;
/**
 * Reasons shown per violation in the text output: a component with 40 unscored vulnerabilities has
 * 80 reasons (each vulnerability's score and status), which would bury the rest of a CI log.
 */
export const SHOWN_REASONS = 6;

const counts = (c: Counter | undefined) => ({ critical: c?.critical ?? 0, severe: c?.severe ?? 0, moderate: c?.moderate ?? 0 });

function fixText(c: ViolatingComponent): string | undefined {
  if (!c.fixes.length) return undefined;
  const versions = [...new Set(c.fixes.map((f) => f.version))];
  if (versions.length === 1) return `fix: upgrade to ${versions[0]} (${c.fixes.map((f) => f.vulnerability).join(', ')})`;
  return `fix: upgrade to ${c.fixes.map((f) => `${f.version} (${f.vulnerability})`).join(', ')}`;
}

function componentLines(c: ViolatingComponent): string[] {
  const lines = [`  ${c.component}${c.packageUrl && c.packageUrl !== c.component ? `  ${c.packageUrl}` : ''}`];
  for (const v of c.violations) {
    lines.push(`    threat ${String(v.threatLevel).padEnd(3)}${v.policy}`);
    for (const reason of v.reasons.slice(0, SHOWN_REASONS)) lines.push(`               ${reason}`);
    const more = v.reasons.length - SHOWN_REASONS;
    if (more > 0) lines.push(`               … and ${more} more reason${more === 1 ? '' : 's'} (see the report, or --json)`);
  }
  const fix = fixText(c);
  if (fix) lines.push(`    ${fix}`);
  return lines;
}

/** The result for a CI log: the action and counts, the violating components, the report's address. */
export function formatOutcome(outcome: Outcome): string {
  const { result } = outcome;
  const row = (label: string, c: Counter | undefined) => {
    const n = counts(c);
    return `${label.padEnd(26)}${String(n.critical).padStart(9)}${String(n.severe).padStart(9)}${String(n.moderate).padStart(9)}`;
  };
  const lines = [
    `Application ${outcome.application}, stage ${outcome.stage}: policy action ${result.policyAction ?? 'None'}`,
    `${''.padEnd(26)}${'critical'.padStart(9)}${'severe'.padStart(9)}${'moderate'.padStart(9)}`,
    row('open policy violations', result.openPolicyViolations),
    row('components affected', result.componentsAffected),
  ];
  const details = outcome.details;
  if (details?.components.length) {
    const total = details.components.reduce((n, c) => n + c.violations.length, 0);
    lines.push('', `Policy violations: ${total} on ${details.components.length} component${details.components.length === 1 ? '' : 's'}, worst first`);
    for (const c of details.components.slice(0, SHOWN_COMPONENTS)) lines.push(...componentLines(c));
    const more = details.components.length - SHOWN_COMPONENTS;
    if (more > 0) lines.push(`  … and ${more} more component${more === 1 ? '' : 's'} (see the report, or --json)`);
  }
  if (details?.summary.length) lines.push('', ...details.summary);
  for (const missing of details?.unavailable ?? []) lines.push(`(not shown: ${missing})`);
  if (outcome.reportUrl) lines.push('', `Report: ${outcome.reportUrl}`);
  return lines.join('\n');
}

/** The result as one JSON document (--json). */
export function outcomeDocument(outcome: Outcome) {
  const { result } = outcome;
  return {
    application: outcome.application,
    stage: outcome.stage,
    policyAction: result.policyAction ?? 'None',
    exitCode: outcome.exitCode,
    reportUrl: outcome.reportUrl ?? null,
    counts: {
      openPolicyViolations: counts(result.openPolicyViolations),
      componentsAffected: counts(result.componentsAffected),
      grandfatheredPolicyViolations: result.grandfatheredPolicyViolations ?? 0,
    },
    violations: outcome.details?.components ?? [],
    summary: outcome.details?.summary ?? [],
    unavailable: outcome.details?.unavailable ?? [],
  };
}
