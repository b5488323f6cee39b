import { constraintViolationsDTO, type ReportComponent, type ReportData, threatBand } from './report.js';

/** Policy threat categories (the reference's "policy types"), in the order dashboards show them. */
export const THREAT_CATEGORIES = ['security', 'license', 'quality', 'other'] as const;
export type ThreatCategory = (typeof THREAT_CATEGORIES)[number];

/** Threat bands, worst first (report.ts `threatBand`). */
export const THREAT_BANDS = ['critical', 'severe', 'moderate', 'low'] as const;
export type Band = (typeof THREAT_BANDS)[number];

/** `security_critical`, … : a column of the latest-report summary per category and band. */
export type CategoryBandColumn = `${ThreatCategory}_${Band}`;
export const CATEGORY_BAND_COLUMNS = THREAT_CATEGORIES.flatMap((c) => THREAT_BANDS.map((b) => `${c}_${b}` as CategoryBandColumn));

/** A component of a report with open (unwaived) violations. */
export interface RiskyComponent {
  /** The package URL, else the hash: how violations are "the same" across reports. */
  key: string;
  displayName: string;
  /** The highest threat level of its open violations. */
  threatLevel: number;
  openViolations: number;
}

/**
 * What portfolio views need of a report, computed once when it is written so that they never
 * decode report documents: open violations by policy type and threat band, and the components
 * with open violations. Waived violations count in neither (as in the report summary's counters).
 */
export interface PortfolioSummary {
  bands: Record<CategoryBandColumn, number>;
  /** Open violations by band, `low` included (the report summary leaves it out). */
  open: Record<Band, number>;
  components: RiskyComponent[];
}

function categoryOf(threatCategory: string): ThreatCategory {
  const c = threatCategory.toLowerCase();
  return (THREAT_CATEGORIES as readonly string[]).includes(c) ? (c as ThreatCategory) : 'other';
}

export function portfolioSummary(data: ReportData): PortfolioSummary {
  const bands = Object.fromEntries(CATEGORY_BAND_COLUMNS.map((c) => [c, 0])) as Record<CategoryBandColumn, number>;
  const open: Record<Band, number> = { critical: 0, severe: 0, moderate: 0, low: 0 };
  // One entry per key: a report may list one package URL twice (from two SBOM entries).
  const components = new Map<string, RiskyComponent>();
  for (const c of data.components) {
    let worst = -1;
    let count = 0;
    for (const v of c.violations) {
      if (v.waived) continue;
      const band = threatBand(v.policyThreatLevel);
      bands[`${categoryOf(v.policyThreatCategory)}_${band}`]++;
      open[band]++;
      count++;
      if (v.policyThreatLevel > worst) worst = v.policyThreatLevel;
    }
    if (!count) continue;
    const key = c.packageUrl ?? c.hash;
    const seen = components.get(key);
    if (seen) {
      seen.threatLevel = Math.max(seen.threatLevel, worst);
      seen.openViolations += count;
    } else components.set(key, { key, displayName: c.displayName, threatLevel: worst, openViolations: count });
  }
  return { bands, open, components: [...components.values()] };
}

/**
 * One violation of a latest report as policy violation listings show it (GET
 * /api/v2/policyViolations), kept per report and policy so that listings never decode documents.
 */
export interface StoredViolation {
  policyViolationId: string;
  /** The component's package URL, else its hash: the same violation in the next report has the same key. */
  key: string;
  policyName: string;
  threatLevel: number;
  waived: boolean;
  /** When the stage's reports first had it (of the unbroken run up to this report); set by the writer. */
  openTime: string;
  component: Pick<ReportComponent, 'hash' | 'displayName' | 'proprietary' | 'componentIdentifier' | 'packageUrl' | 'originalPurl' | 'sha256'>;
  constraintViolations: ReturnType<typeof constraintViolationsDTO>;
}

/** The report's violations by policy id, in report order, their open time the report's own. */
export function violationsByPolicy(data: ReportData, createdAt: string): Map<string, StoredViolation[]> {
  const out = new Map<string, StoredViolation[]>();
  for (const c of data.components) {
    if (!c.violations.length) continue;
    const component: StoredViolation['component'] = { hash: c.hash, displayName: c.displayName, proprietary: c.proprietary };
    if (c.componentIdentifier) component.componentIdentifier = c.componentIdentifier;
    if (c.packageUrl) component.packageUrl = c.packageUrl;
    if (c.originalPurl) component.originalPurl = c.originalPurl;
    if (c.sha256) component.sha256 = c.sha256;
    for (const v of c.violations) {
      const list = out.get(v.policyId) ?? [];
      list.push({
        policyViolationId: v.policyViolationId,
        key: c.packageUrl ?? c.hash,
        policyName: v.policyName,
        threatLevel: v.policyThreatLevel,
        waived: v.waived,
        openTime: createdAt,
        component,
        constraintViolations: constraintViolationsDTO(v),
      });
      out.set(v.policyId, list);
    }
  }
  return out;
}
