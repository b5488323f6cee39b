import { tryParseLicenseExpression } from './expression.js';
import { canonicalSpecialId, isPlaceholderLicense, SPECIAL_LICENSE_NAMES, SPECIAL_LICENSES } from './special-licenses.js';

/** One license as the reference's ApiLicenseDTO carries it. */
export interface LicenseRef {
  licenseId: string;
  licenseName: string;
}

/**
 * The review state of a component's licenses (the reference's LicenseOverride status; the
 * ApiLicenseDataDTO carries its display name, "Open" for a component nobody has reviewed).
 */
export const LICENSE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'OVERRIDDEN', 'SELECTED', 'CONFIRMED'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

const STATUS_NAMES: Record<LicenseStatus, string> = {
  OPEN: 'Open',
  ACKNOWLEDGED: 'Acknowledged',
  OVERRIDDEN: 'Overridden',
  SELECTED: 'Selected',
  CONFIRMED: 'Confirmed',
};

/** The reference's ApiLicenseDataDTO. */
export interface LicenseData {
  declaredLicenses: LicenseRef[];
  observedLicenses: LicenseRef[];
  effectiveLicenses: LicenseRef[];
  overriddenLicenses: LicenseRef[];
  status: string;
}

/** What is known about a component's licenses before anyone reviews them. */
export interface LicenseFacts {
  /** What the component's own metadata declares (package.json, pom.xml, SBOM …), as written. */
  declared?: string[];
  /** What was observed in its files, as written. */
  observed?: string[];
  /** Set by a license override (licenseIds of the override) with its status. */
  override?: { status: LicenseStatus; licenseIds: string[] };
}

/** licenseName for an id: the id itself for SPDX and LicenseRef ids (as the reference shows short names). */
function licenseName(id: string): string {
  const special = canonicalSpecialId(id);
  return special ? SPECIAL_LICENSE_NAMES[special] : id;
}

function ref(id: string): LicenseRef {
  return { licenseId: id, licenseName: licenseName(id) };
}

/**
 * Each written license as one entry, normalized where it parses. An expression stays one entry
 * ("MIT OR Apache-2.0"), as the reference keeps multi-licenses whole so that OR stays visible.
 */
function normalizeAll(values: string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    const text = value?.trim();
    if (!text) continue;
    const parsed = tryParseLicenseExpression(text);
    const id = parsed ? parsed.normalized : text;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * The effective licenses, following the reference product's documented behaviour ("Component
 * License Information"): a selected or overridden license is the one that takes effect; otherwise
 * every license found, declared and observed, is effective. Tollgate adds one rule the reference
 * applies without spelling it out: the "nothing known" placeholders (Not-Declared, No-Sources, …)
 * give way to any real license, so a component that declares nothing but whose files show MIT is
 * effectively MIT, and one with no license anywhere is effectively Not-Declared.
 */
export function effectiveLicenseIds(declared: string[], observed: string[], override?: LicenseFacts['override']): string[] {
  if (override && (override.status === 'OVERRIDDEN' || override.status === 'SELECTED') && override.licenseIds.length) {
    return [...new Set(override.licenseIds)];
  }
  const all = [...new Set([...declared, ...observed])];
  const real = all.filter((id) => !isPlaceholderLicense(id));
  if (real.length) return real;
  return all.length ? all : [SPECIAL_LICENSES.NOT_DECLARED];
}

/** A component's license data in the reference's shape. */
export function buildLicenseData(facts: LicenseFacts): LicenseData {
  const declared = normalizeAll(facts.declared);
  const observed = normalizeAll(facts.observed);
  const declaredIds = declared.length ? declared : [SPECIAL_LICENSES.NOT_DECLARED];
  const overridden = facts.override?.licenseIds ?? [];
  const status = facts.override?.status ?? 'OPEN';
  return {
    declaredLicenses: declaredIds.map(ref),
    observedLicenses: observed.map(ref),
    effectiveLicenses: effectiveLicenseIds(declaredIds, observed, facts.override).map(ref),
    overriddenLicenses: overridden.map(ref),
    status: STATUS_NAMES[status],
  };
}
