import type { ComponentIdentifier } from '../ecosystems/types.js';
import type { LicenseData } from '../intel/licenses/license-data.js';
import type { UnknownFact } from '../policy/facts.js';
import type { ActionTypeId, Outcome } from '../policy/model.js';
import type { LicenseThreat } from './licenses.js';
import type { UnknownFactsLine } from './unknown-facts.js';

/**
 * A finished evaluation as stored (one JSON document per report): every component with the facts
 * the report pages show and the violations found. Report endpoints shape their answers from it.
 */
export interface ReportData {
  /** Bumped when the document changes shape. */
  version: 1;
  components: ReportComponent[];
  summary: ReportSummary;
  /**
   * The dependency graph by component index: the direct dependencies, and each component's own
   * (absent when the input had no dependency data).
   */
  graph?: { roots: number[]; children: Record<number, number[]> };
}

export interface ReportComponent {
  hash: string;
  sha256?: string;
  componentIdentifier?: ComponentIdentifier;
  packageUrl?: string;
  originalPurl?: string;
  displayName: string;
  matchState: 'exact' | 'similar' | 'unknown';
  identificationSource?: string;
  proprietary: boolean;
  cpe?: string;
  licenseData: LicenseData & { effectiveLicenseThreats: LicenseThreat[] };
  securityIssues: ReportSecurityIssue[];
  dependency?: { direct: boolean; depth?: number; parentPackageUrls: string[] };
  labelIds: string[];
  ageInDays?: number;
  isLatest?: boolean;
  versionDistance?: number;
  violations: ReportViolation[];
  /** Where the declared license came from: `sbom`, or its registry (`registry:npm`, …); absent when none is declared. */
  licenseSource?: string;
  /** Facts not known, and why (lists shared between components). */
  unknownFacts?: readonly UnknownFact[];
  /** Policies whose outcome depends on an unknown fact: neither violated nor passed. */
  policiesNotEvaluated?: ReportNotEvaluated[];
}

/** A policy not evaluated for a component, for want of facts (policy/engine.ts NotEvaluated). */
export interface ReportNotEvaluated {
  policyId: string;
  policyName: string;
  policyThreatLevel: number;
  policyThreatCategory: string;
  unknownFacts: readonly UnknownFact[];
}

export interface ReportSecurityIssue {
  reference: string;
  aliases: readonly string[];
  source: string;
  url: string;
  severity?: number;
  cvssVector?: string;
  /**
   * Where the severity came from (policy/facts.ts VulnerabilityFact.scoreSource): `osv:<record>`,
   * `alias:<record>`, `nvd:<CVE>`, `qualitative:<record>` or `unscored`. Absent in reports stored
   * before it was kept (scoreSourceOf reads those).
   */
  scoreSource?: string;
  /** The rating word a qualitative score stands for. */
  scoreRating?: string;
  threatCategory?: string;
  cwe?: string;
  status: string;
  fixVersion?: string;
  summary?: string;
  /** A VEX statement the SBOM made about it. */
  analysis?: { state?: string; justification?: string; response?: string; detail?: string };
}

export interface ReportViolation {
  policyViolationId: string;
  policyId: string;
  policyName: string;
  policyThreatLevel: number;
  /** SECURITY | LICENSE | QUALITY | OTHER (upper case, as the reference's report data writes it). */
  policyThreatCategory: string;
  action?: ActionTypeId;
  waived: boolean;
  /** The constraints that held, as the policy engine explained them (its objects, not copies). */
  constraints: Array<{
    constraintId: string;
    constraintName: string;
    conditions: ReportCondition[];
  }>;
}

/** One condition's part in a violation: what it checks, and why it held here. */
export interface ReportCondition {
  summary: string;
  reason: string;
  reference?: { type: string; value: string };
}

/**
 * Where an issue's score came from. Reports stored before the source was kept scored only a
 * matched record's CVSS: a score there is `osv` (the record unknown), no score is `unscored`.
 */
export function scoreSourceOf(issue: Pick<ReportSecurityIssue, 'scoreSource' | 'severity'>): string {
  return issue.scoreSource ?? (issue.severity === undefined ? 'unscored' : 'osv');
}

/** The reference's ApiConstraintViolationDTO list of a violation (policy violation listings, report policy data). */
export function constraintViolationsDTO(v: ReportViolation) {
  return v.constraints.map((k) => ({
    constraintId: k.constraintId,
    constraintName: k.constraintName,
    reasons: k.conditions.map((f) => (f.reference ? { reason: f.reason, reference: f.reference } : { reason: f.reason })),
  }));
}

/** The reference's counters: by policy threat level band critical (8–10), severe (4–7), moderate (2–3). */
export interface ThreatCounts {
  critical: number;
  severe: number;
  moderate: number;
}

export interface ReportSummary {
  outcome: Outcome;
  totalComponents: number;
  knownComponents: number;
  affectedComponents: number;
  /** Unwaived violations by threat band. */
  openViolations: ThreatCounts;
  /** Components by the band of their worst unwaived violation. */
  componentsAffected: ThreatCounts;
  waivedViolations: number;
  /** Components with unknown facts, grouped by reason (reports from before have none). */
  unknownFacts?: UnknownFactsLine[];
  /** Policy checks (component × policy) not evaluated for want of facts, and on how many components. */
  policiesNotEvaluated?: { checks: number; components: number };
}

export type ThreatBand = keyof ThreatCounts | 'low';

/** The band of a policy threat level, as the reference colours it. */
export function threatBand(level: number): ThreatBand {
  if (level >= 8) return 'critical';
  if (level >= 4) return 'severe';
  if (level >= 2) return 'moderate';
  return 'low';
}

/** The reference's policyAction words for an outcome. */
export function policyActionName(outcome: Outcome): 'None' | 'Warning' | 'Failure' {
  return outcome === 'fail' ? 'Failure' : outcome === 'warn' ? 'Warning' : 'None';
}
