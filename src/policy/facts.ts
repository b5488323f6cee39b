import type { ComponentIdentifier } from '../ecosystems/types.js';

/** Facts an evaluation may not know (registry metadata, a declared license from the registry). */
export type KnowableFact = 'age' | 'latest' | 'versionDistance' | 'license';

/** Why a fact is unknown. */
export type UnknownReason =
  /** Not in the registry cache, and registries.offline is on. */
  | 'offline'
  /** Not in the registry cache yet: fetched in the background after the evaluation. */
  | 'not yet fetched'
  /** The registry is known to be down (its circuit is open). */
  | 'registry unreachable'
  /** The registry's last answer about it was unusable (remembered briefly). */
  | 'registry error'
  /** The registry has no such package or version. */
  | 'not in registry'
  /** The registry lists the version but does not say (no release date, no latest version). */
  | 'not stated by registry'
  /** Tollgate reads no registry for the component's format. */
  | 'no registry for this format'
  /** The component is not identified (unknown, or without a version). */
  | 'not identified';

/** A fact the evaluation did not know, and why; `registry` names the registry it would come from. */
export interface UnknownFact {
  fact: KnowableFact;
  reason: UnknownReason;
  registry?: string;
}

/**
 * Everything the policy engine knows about one evaluated component. The evaluation pipeline fills
 * these in (identity, intel, overrides, registry metadata); the engine and the condition
 * evaluators only read them. Absent facts (undefined) never satisfy a condition about them: an
 * unknown age is neither "older than" nor "younger than" anything. `unknownFacts` says which facts
 * are unknown and why, so that the engine can tell when a policy's outcome depends on one.
 */
export interface ComponentFacts {
  /** Identity. `hash` is the reference's 20-hex component hash, when there is one. */
  format: string;
  componentIdentifier?: ComponentIdentifier;
  packageUrl?: string;
  hash?: string;
  /** The display name shown in reasons (`org.foo : bar : 1.0`). */
  displayName: string;

  /** How well the component was recognized. */
  matchState: 'exact' | 'similar' | 'unknown';
  /** The reference's identification sources: `Sonatype`, `Manual` (claimed), `Package Manifest`, … */
  identificationSource?: string;
  proprietary: boolean;

  dependency?: DependencyFacts;
  /** Ids of the component labels applied to it (for this application). */
  labelIds: readonly string[];

  /** The effective licenses (after overrides) and their threat groups under the application's groups. */
  licenses: readonly LicenseFact[];
  /** The license review state (the reference's license override status). */
  licenseStatus: 'OPEN' | 'ACKNOWLEDGED' | 'OVERRIDDEN' | 'SELECTED' | 'CONFIRMED';

  vulnerabilities: readonly VulnerabilityFact[];

  /** Days since this version was published. */
  ageInDays?: number;
  isLatest?: boolean;
  /** How many releases lie between this version and the latest (0 when latest). */
  versionDistance?: number;
  /**
   * Facts not known, with why (shared, read-only). A license not known yet leaves `licenses` as
   * the SBOM gave them (Not-Declared when it gave none).
   */
  unknownFacts?: readonly UnknownFact[];

  /** The application the component is evaluated for: one object shared by all its components. */
  application: ApplicationFacts;
}

export interface DependencyFacts {
  direct: boolean;
  /** 1 for a direct dependency, 2 for its dependencies, … */
  depth?: number;
}

export interface LicenseFact {
  licenseId: string;
  threatGroupId?: string;
  threatGroupName?: string;
  /** The group's threat level, 0–10. */
  threatLevel?: number;
}

export interface VulnerabilityFact {
  /** The id the reference shows (CVE-…, GHSA-…, PYSEC-…, sonatype-…). */
  refId: string;
  aliases: readonly string[];
  /**
   * The score policies compare (severity, 0–10), resolved tier by tier (intel/severity/
   * resolve-score.ts): a matched record's CVSS, another record's of the same vulnerability, NVD's,
   * a record's qualitative rating; undefined when nothing scores it.
   */
  severity?: number;
  /** The CVSS base score and vector the severity came from (absent for a qualitative rating). */
  cvssScore?: number;
  cvssVector?: string;
  /**
   * Where the severity came from: `osv:<record>` (a matched record's CVSS), `alias:<record>`
   * (another record's of the vulnerability), `nvd:<CVE>`, `qualitative:<record>`, or `unscored`.
   */
  scoreSource: string;
  /** The rating word a qualitative score stands for (`HIGH`, `MODERATE`, …). */
  scoreRating?: string;
  /** critical | severe | moderate | low | none */
  threatCategory?: string;
  /** CWE-79 form. */
  cweIds: readonly string[];
  /** The security override status; OPEN when nobody reviewed it. */
  status: 'OPEN' | 'ACKNOWLEDGED' | 'NOT_APPLICABLE' | 'CONFIRMED';
  /** The reference's vulnerability category (e.g. `malicious_code`), when known. */
  category?: string;
  /** Probability of exploitation in the next 30 days, 0–1. */
  epss?: number;
  /** Listed in CISA's Known Exploited Vulnerabilities catalog. */
  cisaKev?: boolean;
  /** The first version that fixes it, when one exists. */
  fixVersion?: string;
}

export interface ApplicationFacts {
  id: string;
  /** The application's categories (the reference's tags). */
  categoryIds: readonly string[];
}
