import { AgeInDays } from './AgeInDays.js';
import { ApplicationCategory } from './ApplicationCategory.js';
import { CisaKev } from './CisaKev.js';
import { ComponentFormat } from './ComponentFormat.js';
import { ComponentHash } from './ComponentHash.js';
import { Coordinates } from './Coordinates.js';
import { CvssScore } from './CvssScore.js';
import { DependencyDepth } from './DependencyDepth.js';
import { DependencyType } from './DependencyType.js';
import { Epss } from './Epss.js';
import { FixAvailable } from './FixAvailable.js';
import { IdentificationSource } from './IdentificationSource.js';
import { IsLatest } from './IsLatest.js';
import { Label } from './Label.js';
import { License } from './License.js';
import { LicenseStatus } from './LicenseStatus.js';
import { LicenseThreatGroup } from './LicenseThreatGroup.js';
import { LicenseThreatGroupLevel } from './LicenseThreatGroupLevel.js';
import { MatchState } from './MatchState.js';
import { Proprietary } from './Proprietary.js';
import { SecurityVulnerability } from './SecurityVulnerability.js';
import { SecurityVulnerabilityCategory } from './SecurityVulnerabilityCategory.js';
import { SecurityVulnerabilityCwe } from './SecurityVulnerabilityCwe.js';
import { SecurityVulnerabilityScoreSource } from './SecurityVulnerabilityScoreSource.js';
import { SecurityVulnerabilitySeverity } from './SecurityVulnerabilitySeverity.js';
import { SecurityVulnerabilityStatus } from './SecurityVulnerabilityStatus.js';
import type { ConditionType } from './types.js';
import { VersionDistance } from './VersionDistance.js';
import { VulnerabilityId } from './VulnerabilityId.js';

/** Every condition type Tollgate evaluates: the reference's where it has one, then Tollgate's own. */
export const CONDITION_TYPES: readonly ConditionType[] = [
  SecurityVulnerabilitySeverity,
  SecurityVulnerabilityStatus,
  SecurityVulnerabilityCategory,
  SecurityVulnerabilityCwe,
  License,
  LicenseThreatGroup,
  LicenseThreatGroupLevel,
  LicenseStatus,
  AgeInDays,
  Coordinates,
  ComponentFormat,
  Label,
  MatchState,
  DependencyType,
  IdentificationSource,
  Proprietary,
  SecurityVulnerability,
  VulnerabilityId,
  CvssScore,
  SecurityVulnerabilityScoreSource,
  Epss,
  CisaKev,
  FixAvailable,
  VersionDistance,
  IsLatest,
  DependencyDepth,
  ApplicationCategory,
  ComponentHash,
];

const byId = new Map<string, ConditionType>();
for (const type of CONDITION_TYPES) {
  byId.set(type.id, type);
  for (const alias of type.aliases ?? []) byId.set(alias, type);
}

/** The condition type for an id or accepted alias; undefined for one Tollgate does not know. */
export function conditionType(id: string): ConditionType | undefined {
  return byId.get(id);
}
