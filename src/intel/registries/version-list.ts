import type { Versioning } from '../../ecosystems/versioning/types.js';
import type { PackageVersion } from './types.js';

/**
 * What adapters build a package's version list with. Each adapter passes its ecosystem's version
 * scheme itself (ecosystems/versioning/<scheme>.ts) rather than looking it up by name: the lookup
 * (versioningFor) is built from the ecosystem descriptors, which list the adapters.
 */

/** A release time as ISO-8601 UTC, whatever offset the registry wrote; null when unparseable. */
export function toIsoUtc(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * Orders versions oldest first: by the ecosystem's version scheme where one is known; otherwise by
 * release date when every version has one; otherwise as the registry listed them.
 */
export function sortVersions(scheme: Versioning | undefined, versions: PackageVersion[]): PackageVersion[] {
  if (scheme) return [...versions].sort((a, b) => scheme.compare(a.version, b.version));
  if (versions.every((v) => v.releasedAt)) {
    return [...versions].sort((a, b) => (a.releasedAt! < b.releasedAt! ? -1 : a.releasedAt! > b.releasedAt! ? 1 : 0));
  }
  return versions;
}
