import { type ReportData, threatBand } from './report.js';

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
