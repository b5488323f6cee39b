import type { Exploitation } from '../intel/exploitation/lookup.js';
import { normalizeCweIds } from '../intel/severity/cwe.js';
import { type ResolvedScore, resolveScore, type VulnerabilityScoring } from '../intel/severity/resolve-score.js';
import { threatCategory } from '../intel/severity/threat-category.js';
import type { VulnerabilityFact } from '../policy/facts.js';
import type { SecurityOverrideIndex } from '../policy/component-overrides.js';
import { vulnerabilityLink } from '../intel/vulnerability-sources.js';
import type { ReportSecurityIssue } from './report.js';

/** A component as the advisory index is asked about it (OSV ecosystem and package name). */
export interface AdvisoryQuery {
  ecosystem: string;
  name: string;
  version?: string;
}

/** One vulnerability found for a component: what the advisory index reports, in the part evaluation reads. */
export interface AdvisoryFinding {
  vulnerability: {
    id: string;
    aliases: readonly string[];
    summary: string | null;
    /** what its score is resolved from: the records' severity entries and ratings (intel/severity/resolve-score.ts) */
    scoring: VulnerabilityScoring;
    cweIds: readonly string[];
  };
  /** The records whose ranges or versions matched the component: their own CVSS comes first. */
  matchedBy: readonly string[];
  /** The first version that fixes it, where the matched records say so. */
  fixVersion?: string;
  /** What CISA KEV and FIRST EPSS say of its CVE ids, when they say anything (intel/exploitation). */
  exploitation?: Exploitation;
}

/** Anything that finds vulnerabilities for a batch of components (intel/advisories' index, in production). */
export interface AdvisoryMatcher {
  match(queries: readonly AdvisoryQuery[]): Promise<ReadonlyArray<readonly AdvisoryFinding[]>>;
}

/** A matcher that knows no vulnerabilities: evaluation before any advisory data is loaded. */
export const NO_ADVISORIES: AdvisoryMatcher = { match: async (queries) => queries.map(() => []) };

/** The reference's security issue in a report, with the facts the policy engine reads. */
export interface SecurityIssue {
  fact: VulnerabilityFact;
  summary?: string;
  url: string;
  source: string;
  /**
   * The issue as report data, made on first use (evaluation/steps/vex.ts) and kept with it: a field
   * rather than a weak map beside it, which would hold one more entry per issue of a warm scan.
   */
  report?: ReportSecurityIssue;
}

const STATUS_NAMES: Record<VulnerabilityFact['status'], string> = {
  OPEN: 'Open',
  ACKNOWLEDGED: 'Acknowledged',
  NOT_APPLICABLE: 'Not Applicable',
  CONFIRMED: 'Confirmed',
};

/** How reports write a security issue's status ("Open", "Not Applicable"). */
export function statusName(status: VulnerabilityFact['status']): string {
  return STATUS_NAMES[status];
}

/** Where an id's record lives: CVE-… at NVD's naming, everything else at OSV's. */
function sourceOf(id: string): string {
  const prefix = id.split('-', 1)[0].toLowerCase();
  return prefix === 'cve' ? 'cve' : prefix || 'osv';
}

/**
 * Resolved scores by scoring data and matching records. The advisory index hands out the same
 * scoring objects to every finding and evaluation until it is rebuilt, and scoring a vector is
 * costly (most of an evaluation's time with tens of thousands of findings): each distinct input is
 * resolved once.
 */
const resolvedScores = new WeakMap<VulnerabilityScoring, Map<string, ResolvedScore>>();
/** Normalized CWE ids by the index's list, for the same reason: one list per vulnerability, not per finding. */
const cweLists = new WeakMap<object, readonly string[]>();

function cweIdsOf(cweIds: readonly string[]): readonly string[] {
  let list = cweLists.get(cweIds);
  if (!list) {
    list = normalizeCweIds(cweIds);
    cweLists.set(cweIds, list);
  }
  return list;
}

function scoreOf(scoring: VulnerabilityScoring, matchedBy: readonly string[]): ResolvedScore {
  let byMatch = resolvedScores.get(scoring);
  if (!byMatch) {
    byMatch = new Map();
    resolvedScores.set(scoring, byMatch);
  }
  const key = matchedBy.length === 1 ? matchedBy[0] : matchedBy.join('\n');
  let resolved = byMatch.get(key);
  if (!resolved) {
    resolved = resolveScore({ ...scoring, matchedBy });
    byMatch.set(key, resolved);
  }
  return resolved;
}

/** The status a security override sets for the finding on this component, when one does. */
function overriddenStatus(
  v: AdvisoryFinding['vulnerability'],
  component: { hash?: string | null; packageUrl?: string | null },
  overrides: SecurityOverrideIndex | undefined,
): VulnerabilityFact['status'] | undefined {
  if (!overrides?.all.length) return undefined;
  const o = overrides.get(v.id, component) ?? v.aliases.reduce<ReturnType<SecurityOverrideIndex['get']>>((found, id) => found ?? overrides.get(id, component), undefined);
  return o?.status;
}

/**
 * Issues of findings no override touches, by finding. The matcher hands out the same finding
 * objects for a package version scan after scan, so a warm evaluation builds none of its tens of
 * thousands of issues again. Issues and their facts are read-only.
 */
const plainIssues = new WeakMap<AdvisoryFinding, SecurityIssue>();

/**
 * A finding as facts and report data: the score resolved tier by tier (intel/severity/
 * resolve-score.ts) decides severity and threat category, and its source is kept with it; a
 * security override of the canonical id or any alias sets the status.
 */
export function securityIssueOf(
  finding: AdvisoryFinding,
  component: { hash?: string | null; packageUrl?: string | null },
  overrides: SecurityOverrideIndex | undefined,
): SecurityIssue {
  const status = overriddenStatus(finding.vulnerability, component, overrides);
  if (status !== undefined) return buildIssue(finding, status);
  let issue = plainIssues.get(finding);
  if (!issue) {
    issue = buildIssue(finding, 'OPEN');
    plainIssues.set(finding, issue);
  }
  return issue;
}

/**
 * The OpenSSF malicious-packages database publishes its reports in OSV under MAL- ids: the
 * reference's `malicious_code` category. No other OSV record says which category it is.
 */
function isMalicious(v: AdvisoryFinding['vulnerability']): boolean {
  return v.id.startsWith('MAL-') || v.aliases.some((id) => id.startsWith('MAL-'));
}

/**
 * Facts and issues are made with every field in the literal (undefined when absent): a field added
 * afterwards goes to a separate property array, and the issues of a warm scan are kept by the
 * ten thousand (see plainIssues).
 */
function buildIssue(finding: AdvisoryFinding, status: VulnerabilityFact['status']): SecurityIssue {
  const v = finding.vulnerability;
  const scored = scoreOf(v.scoring, finding.matchedBy);
  const fact: VulnerabilityFact = {
    refId: v.id,
    aliases: v.aliases,
    cweIds: cweIdsOf(v.cweIds),
    status,
    severity: scored.score,
    cvssScore: scored.cvss?.baseScore,
    cvssVector: scored.cvss?.vector,
    scoreSource: scored.source,
    scoreRating: scored.rating,
    threatCategory: scored.score !== undefined ? threatCategory(scored.score) : undefined,
    fixVersion: finding.fixVersion || undefined,
    category: isMalicious(v) ? 'malicious_code' : undefined,
    epss: finding.exploitation?.epss,
    cisaKev: finding.exploitation?.kev,
  };
  const url = vulnerabilityLink(v.id);
  url.charCodeAt(0); // flat: a template's result is a rope of its pieces until read
  return { fact, url, source: sourceOf(v.id), summary: v.summary || undefined, report: undefined };
}
