import { versioningFor } from '../../ecosystems/versioning/index.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions } from './version-list.js';

const DAY_MS = 86_400_000;

/** Whole days from `releasedAt` (ISO-8601) to `now`; null when the date is unknown or invalid. */
export function ageInDays(releasedAt: string | null | undefined, now: Date): number | null {
  if (!releasedAt) return null;
  const released = Date.parse(releasedAt);
  if (Number.isNaN(released)) return null;
  return Math.floor((now.getTime() - released) / DAY_MS);
}

/** The entry for `version`, matched exactly or, failing that, as an equal version of the scheme (`1.0` = `1.0.0`). */
export function findVersion(metadata: PackageMetadata, version: string): PackageVersion | undefined {
  const exact = metadata.versions.find((v) => v.version === version);
  if (exact) return exact;
  const scheme = versioningFor(metadata.ecosystem);
  if (!scheme?.isValid(version)) return undefined;
  return metadata.versions.find((v) => scheme.isValid(v.version) && scheme.compare(v.version, version) === 0);
}

/** Whether `version` is the registry's latest. */
export function isLatest(metadata: PackageMetadata, version: string): boolean {
  if (!metadata.latest) return false;
  if (metadata.latest === version) return true;
  return findVersion(metadata, version)?.version === metadata.latest;
}

/**
 * How many published versions lie between `version` and the latest: 0 for the latest, 3 when three
 * newer versions up to and including the latest exist, negative when `version` is newer than the
 * latest (e.g. a prerelease). Counts every published version, prereleases included, in the
 * ecosystem's order (versioningFor), falling back to the stored order. A version the registry does
 * not list is placed by comparison when the scheme is known; otherwise, and when the package has no
 * latest, the distance is null.
 */
export function distanceFromLatest(metadata: PackageMetadata, version: string): number | null {
  if (!metadata.latest) return null;
  const scheme = versioningFor(metadata.ecosystem);
  const ordered = scheme ? sortVersions(scheme, metadata.versions) : metadata.versions;
  const latestIndex = ordered.findIndex((v) => v.version === metadata.latest);
  if (latestIndex < 0) return null;
  const known = findVersion({ ...metadata, versions: ordered }, version);
  if (known) return latestIndex - ordered.indexOf(known);
  if (!scheme?.isValid(version)) return null;
  // Not published (or no longer listed): count the published versions between it and the latest.
  const latest = metadata.latest;
  if (scheme.compare(version, latest) < 0) {
    return ordered.filter((v) => scheme.compare(v.version, version) > 0 && scheme.compare(v.version, latest) <= 0).length;
  }
  return -ordered.filter((v) => scheme.compare(v.version, latest) > 0 && scheme.compare(v.version, version) < 0).length - 1;
}
