import { licenseThreatCategory, type ThreatGroupIndex } from '../intel/licenses/classify.js';
import { licenseLeaves, tryParseLicenseExpression } from '../intel/licenses/expression.js';
import { buildLicenseData, type LicenseData, type LicenseStatus } from '../intel/licenses/license-data.js';
import type { LicenseFact } from '../policy/facts.js';

/** The reference's ApiLicenseThreatDTOV2. */
export interface LicenseThreat {
  licenseThreatGroupCategory: string;
  licenseThreatGroupLevel: number;
  licenseThreatGroupName: string;
}

export interface ComponentLicenses {
  data: LicenseData & { effectiveLicenseThreats: LicenseThreat[] };
  facts: LicenseFact[];
  status: LicenseStatus;
}

/** The application's effective license threat groups, ready to classify with. */
export interface LicenseContext {
  index: ThreatGroupIndex;
  /** Group name → id, for the policy conditions that name groups by id. */
  groupIds: ReadonlyMap<string, string>;
}

/**
 * A component's license data (declared from its SBOM entry, effective after an override) and, per
 * effective license, the threat group that holds it under the application's groups.
 */
export function componentLicenses(
  declared: string | undefined,
  override: { status: LicenseStatus; licenseIds: string[] } | undefined,
  context: LicenseContext,
): ComponentLicenses {
  const data = buildLicenseData({ declared: declared ? [declared] : [], override });
  const facts: LicenseFact[] = [];
  const threats = new Map<string, LicenseThreat>();
  for (const { licenseId } of data.effectiveLicenses) {
    const parsed = tryParseLicenseExpression(licenseId);
    const leaves = parsed ? licenseLeaves(parsed.expression) : [];
    if (!leaves.length) {
      facts.push({ licenseId });
      continue;
    }
    for (const leaf of leaves) {
      const threat = context.index.leaf(leaf);
      const fact: LicenseFact = { licenseId: threat.license };
      if (threat.group) {
        fact.threatGroupName = threat.group.name;
        fact.threatLevel = threat.group.threatLevel;
        const id = context.groupIds.get(threat.group.name);
        if (id) fact.threatGroupId = id;
        threats.set(threat.group.name, {
          licenseThreatGroupCategory: licenseThreatCategory(threat.group.threatLevel),
          licenseThreatGroupLevel: threat.group.threatLevel,
          licenseThreatGroupName: threat.group.name,
        });
      }
      facts.push(fact);
    }
  }
  const effectiveLicenseThreats = [...threats.values()].sort((a, b) => b.licenseThreatGroupLevel - a.licenseThreatGroupLevel);
  return { data: { ...data, effectiveLicenseThreats }, facts, status: override?.status ?? 'OPEN' };
}
