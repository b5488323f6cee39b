import type { LicenseRef, PolicyComponent, RawComponent, RawReport, PolicyReport, SecurityIssue, Violation } from '../api/types';

/**
 * One report's components as the report page shows them: the raw data (licenses, vulnerabilities,
 * dependency data) and the policy data (violations) joined per component, with what the tables
 * sort and filter by computed once, so that a keystroke over 10,000 components is one pass over
 * plain fields.
 */
export interface ComponentRow {
  /** Unique in the report: the package URL, else the hash, else the position. */
  key: string;
  name: string;
  version: string;
  format: string;
  packageUrl: string;
  hash: string;
  direct: boolean | undefined;
  /** Highest threat level of its open (unwaived) violations; 0 without. */
  threat: number;
  violations: Violation[];
  openViolations: number;
  waivedViolations: number;
  issues: SecurityIssue[];
  /** Highest vulnerability score (CVSS); undefined without vulnerabilities or scores. */
  maxSeverity: number | undefined;
  licenses: string[];
  matchState: string;
  raw: RawComponent;
  /** Lower-cased text the search box looks in: names, coordinates, purl, licenses, vulnerability ids. */
  search: string;
}

export type ThreatBand = 'critical' | 'severe' | 'moderate' | 'low' | 'none';

/** IQ's bands of policy threat levels: 8–10 critical, 4–7 severe, 2–3 moderate, 1 low. */
export function threatBand(level: number): ThreatBand {
  if (level >= 8) return 'critical';
  if (level >= 4) return 'severe';
  if (level >= 2) return 'moderate';
  if (level >= 1) return 'low';
  return 'none';
}

export const BAND_COLORS: Record<ThreatBand, string> = { critical: 'red', severe: 'orange', moderate: 'yellow', low: 'blue', none: 'gray' };

/** CVSS bands: critical ≥ 9, high ≥ 7, medium ≥ 4, low above 0. */
export function severityBand(score: number | undefined): 'critical' | 'high' | 'medium' | 'low' | 'none' {
  if (score === undefined) return 'none';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}

function componentKey(c: { packageUrl?: string; hash?: string | null }, index: number): string {
  return c.packageUrl || c.hash || `#${index}`;
}

function nameAndVersion(c: RawComponent | PolicyComponent): { name: string; version: string } {
  const coords = c.componentIdentifier?.coordinates ?? {};
  const version = coords.version ?? '';
  const name =
    coords.packageId ??
    coords.name ??
    (coords.groupId && coords.artifactId ? `${coords.groupId}:${coords.artifactId}` : undefined) ??
    coords.artifactId ??
    c.displayName ??
    c.packageUrl ??
    c.hash ??
    'unknown component';
  return { name, version };
}

function licenseNames(refs: LicenseRef[] | undefined): string[] {
  return (refs ?? []).map((l) => l.licenseId || l.licenseName || '').filter(Boolean);
}

/** The licenses that count: effective ones, else declared and observed. */
export function effectiveLicenses(c: RawComponent): string[] {
  const data = c.licenseData;
  if (!data) return [];
  const effective = licenseNames(data.effectiveLicenses);
  if (effective.length) return effective;
  return [...new Set([...licenseNames(data.declaredLicenses), ...licenseNames(data.observedLicenses)])];
}

export function buildRows(raw: RawReport, policy: PolicyReport | undefined): ComponentRow[] {
  const violationsOf = new Map<string, Violation[]>();
  for (const [i, c] of (policy?.components ?? []).entries()) violationsOf.set(componentKey(c, i), c.violations ?? []);
  return raw.components.map((c, i) => {
    const key = componentKey(c, i);
    const violations = violationsOf.get(key) ?? [];
    const open = violations.filter((v) => !v.waived && !v.grandfathered);
    const issues = c.securityData?.securityIssues ?? [];
    const scores = issues.map((s) => s.severity).filter((s): s is number => typeof s === 'number');
    const { name, version } = nameAndVersion(c);
    const licenses = effectiveLicenses(c);
    const coordinates = Object.values(c.componentIdentifier?.coordinates ?? {}).join(' ');
    return {
      key,
      name,
      version,
      format: c.componentIdentifier?.format ?? '',
      packageUrl: c.packageUrl ?? '',
      hash: c.hash ?? '',
      direct: c.dependencyData?.directDependency,
      threat: open.reduce((max, v) => Math.max(max, v.policyThreatLevel), 0),
      violations,
      openViolations: open.length,
      waivedViolations: violations.length - open.length,
      issues,
      maxSeverity: scores.length ? Math.max(...scores) : undefined,
      licenses,
      matchState: c.matchState ?? '',
      raw: c,
      search: [name, version, coordinates, c.displayName ?? '', c.packageUrl ?? '', c.hash ?? '', ...licenses, ...issues.map((s) => s.reference), ...violations.map((v) => v.policyName)]
        .join('\n')
        .toLowerCase(),
    };
  });
}

export interface RowFilter {
  /** Words that must all appear (in any field the search covers). */
  text: string;
  /** Only components whose open violations reach this threat level (0: all). */
  minThreat: number;
  dependency: 'all' | 'direct' | 'transitive';
  /** Only components with vulnerabilities. */
  vulnerable: boolean;
}

export const NO_FILTER: RowFilter = { text: '', minThreat: 0, dependency: 'all', vulnerable: false };

export function filterRows(rows: readonly ComponentRow[], filter: RowFilter): ComponentRow[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(
    (r) =>
      r.threat >= filter.minThreat &&
      (filter.dependency === 'all' || (filter.dependency === 'direct' ? r.direct === true : r.direct === false)) &&
      (!filter.vulnerable || r.issues.length > 0) &&
      words.every((w) => r.search.includes(w)),
  );
}

/** One policy violation of one component (the violations tab). */
export interface ViolationRow {
  key: string;
  component: ComponentRow;
  violation: Violation;
  /** The conditions that triggered it, in words. */
  summary: string;
}

export function violationRows(rows: readonly ComponentRow[]): ViolationRow[] {
  const out: ViolationRow[] = [];
  for (const component of rows) {
    for (const violation of component.violations) {
      const summary = (violation.constraints ?? [])
        .flatMap((c) => (c.conditions ?? []).map((k) => k.conditionReason || k.conditionSummary))
        .join('; ');
      out.push({ key: `${component.key}\n${violation.policyViolationId}`, component, violation, summary });
    }
  }
  return out.sort((a, b) => b.violation.policyThreatLevel - a.violation.policyThreatLevel || a.component.name.localeCompare(b.component.name));
}

/** One vulnerability of one component (the security issues tab). */
export interface IssueRow {
  key: string;
  component: ComponentRow;
  issue: SecurityIssue;
}

export function issueRows(rows: readonly ComponentRow[]): IssueRow[] {
  const out: IssueRow[] = [];
  for (const component of rows) for (const issue of component.issues) out.push({ key: `${component.key}\n${issue.reference}`, component, issue });
  return out.sort((a, b) => (b.issue.severity ?? -1) - (a.issue.severity ?? -1) || a.issue.reference.localeCompare(b.issue.reference));
}

/** One license and the components under it (the licenses tab). */
export interface LicenseRow {
  license: string;
  components: ComponentRow[];
}

export function licenseRows(rows: readonly ComponentRow[]): LicenseRow[] {
  const by = new Map<string, ComponentRow[]>();
  for (const r of rows) for (const l of r.licenses.length ? r.licenses : ['(no license found)']) by.set(l, [...(by.get(l) ?? []), r]);
  return [...by.entries()].map(([license, components]) => ({ license, components })).sort((a, b) => b.components.length - a.components.length || a.license.localeCompare(b.license));
}

/** The summary's counts. */
export interface ReportCounts {
  components: number;
  direct: number;
  withViolations: number;
  bands: Record<Exclude<ThreatBand, 'none'>, number>;
  openViolations: number;
  waivedViolations: number;
  vulnerabilities: number;
  vulnerableComponents: number;
  licenses: number;
}

export function countRows(rows: readonly ComponentRow[]): ReportCounts {
  const bands = { critical: 0, severe: 0, moderate: 0, low: 0 };
  const licenses = new Set<string>();
  let direct = 0;
  let withViolations = 0;
  let openViolations = 0;
  let waivedViolations = 0;
  let vulnerabilities = 0;
  let vulnerableComponents = 0;
  for (const r of rows) {
    if (r.direct) direct++;
    if (r.openViolations) withViolations++;
    for (const v of r.violations) {
      if (v.waived || v.grandfathered) continue;
      const band = threatBand(v.policyThreatLevel);
      if (band !== 'none') bands[band]++;
    }
    openViolations += r.openViolations;
    waivedViolations += r.waivedViolations;
    vulnerabilities += r.issues.length;
    if (r.issues.length) vulnerableComponents++;
    for (const l of r.licenses) licenses.add(l);
  }
  return { components: rows.length, direct, withViolations, bands, openViolations, waivedViolations, vulnerabilities, vulnerableComponents, licenses: licenses.size };
}

type Action = 'Failure' | 'Warning' | 'None';

/**
 * A report's policy action: Tollgate says it (`tollgate.policyAction`); IQ Server's answers say it
 * through the alerts of the evaluation result (the strongest action among them).
 */
export function policyAction(report: { tollgate?: { policyAction?: string }; policyEvaluationResult?: { alerts?: Array<{ actions?: Array<{ actionTypeId?: string }> }> } } | undefined): Action {
  const said = report?.tollgate?.policyAction;
  if (said === 'Failure' || said === 'Warning' || said === 'None') return said;
  const actions = new Set((report?.policyEvaluationResult?.alerts ?? []).flatMap((a) => (a.actions ?? []).map((x) => x.actionTypeId)));
  if (actions.has('fail')) return 'Failure';
  if (actions.has('warn')) return 'Warning';
  return 'None';
}
