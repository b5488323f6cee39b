import type { ComponentIdentifier } from '../ecosystems/identity.js';
import type { LicenseStatus } from '../intel/licenses/license-data.js';

/**
 * License and security overrides as evaluation applies them: what people decided about components
 * on an organization or application (made and stored by services/decisions/license-overrides.ts and
 * services/decisions/security-overrides.ts), inherited down the tree, the nearest owner's winning.
 */

export const SECURITY_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'NOT_APPLICABLE', 'CONFIRMED'] as const;
export type SecurityStatus = (typeof SECURITY_STATUSES)[number];

/**
 * Whether a stored override is about a component: the same canonical package URL, or the same
 * hash. Evaluation knows components by hash (a file's, or the coordinate hash of an SBOM entry)
 * and, where identified, by package URL.
 */
export function sameComponent(
  stored: { hash: string | null; packageUrl: string | null },
  component: { hash?: string | null; packageUrl?: string | null },
): boolean {
  return (
    (stored.packageUrl !== null && stored.packageUrl === (component.packageUrl ?? null)) ||
    (stored.hash !== null && stored.hash === (component.hash ?? null))
  );
}

/** What license and security overrides as evaluation uses them share: the component and the owner. */
export interface AppliedOverride {
  id: string;
  comment: string | null;
  /** null for a security override of every component */
  hash: string | null;
  packageUrl: string | null;
  componentIdentifier: ComponentIdentifier | null;
  owner: { type: 'organization' | 'application'; id: string; name: string };
  /** 0 for the application's own overrides, 1 for its organization's, … */
  distance: number;
}

/** A license override as evaluation uses it: the component it is about and the owner it comes from. */
export interface AppliedLicenseOverride extends AppliedOverride {
  status: LicenseStatus;
  licenseIds: string[];
}

/**
 * The license overrides in effect for an application, built once per evaluation: its own and its
 * organizations', the nearest owner's winning for each component. `get` finds a component's by
 * canonical package URL or by hash. An override with status OPEN means "no decision" there.
 */
export class LicenseOverrideIndex {
  private readonly byPurl = new Map<string, AppliedLicenseOverride>();
  private readonly byHash = new Map<string, AppliedLicenseOverride>();

  constructor(readonly all: readonly AppliedLicenseOverride[]) {
    for (const o of all) {
      if (o.packageUrl) keepNearest(this.byPurl, o.packageUrl, o);
      if (o.hash) keepNearest(this.byHash, o.hash, o);
    }
  }

  /** The override in effect for a component (package URL canonical, as identity.ts writes it). */
  get(component: { hash?: string | null; packageUrl?: string | null }): AppliedLicenseOverride | undefined {
    const byPurl = component.packageUrl ? this.byPurl.get(component.packageUrl) : undefined;
    const byHash = component.hash ? this.byHash.get(component.hash) : undefined;
    if (byPurl && byHash) return byHash.distance < byPurl.distance ? byHash : byPurl;
    return byPurl ?? byHash;
  }
}

function keepNearest<T extends { distance: number }>(map: Map<string, T>, key: string, candidate: T): void {
  const current = map.get(key);
  if (!current || candidate.distance < current.distance) map.set(key, candidate);
}

/** A security override as evaluation uses it. */
export interface AppliedSecurityOverride extends AppliedOverride {
  referenceId: string;
  status: SecurityStatus;
}

/**
 * The security overrides in effect for an application, built once per evaluation. `get` answers
 * the override of a vulnerability for a component: the nearest owner's, and at the same owner one
 * for the component itself before one for every component.
 */
export class SecurityOverrideIndex {
  private readonly byReference = new Map<string, AppliedSecurityOverride[]>();

  constructor(readonly all: readonly AppliedSecurityOverride[]) {
    for (const o of all) {
      const list = this.byReference.get(o.referenceId) ?? [];
      list.push(o);
      this.byReference.set(o.referenceId, list);
    }
    const specific = (o: AppliedSecurityOverride) => (o.hash === null && o.packageUrl === null ? 1 : 0);
    for (const list of this.byReference.values()) list.sort((a, b) => a.distance - b.distance || specific(a) - specific(b));
  }

  /** The override of `referenceId` in effect for a component (package URL canonical, hash as evaluation knows it). */
  get(referenceId: string, component: { hash?: string | null; packageUrl?: string | null }): AppliedSecurityOverride | undefined {
    return this.byReference
      .get(referenceId)
      ?.find((o) => (o.hash === null && o.packageUrl === null) || sameComponent({ hash: o.hash, packageUrl: o.packageUrl }, component));
  }
}
