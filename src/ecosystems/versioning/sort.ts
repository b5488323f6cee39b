import type { Versioning } from './types.js';

/** A new array of the versions in ascending order; equal versions keep their input order. */
export function sortVersions(versioning: Versioning, list: readonly string[]): string[] {
  return list.slice().sort((a, b) => versioning.compare(a, b));
}

/** The greatest version (the first of equals), or undefined for an empty list. */
export function maxVersion(versioning: Versioning, list: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const v of list) if (best === undefined || versioning.compare(v, best) > 0) best = v;
  return best;
}

/** The least version (the first of equals), or undefined for an empty list. */
export function minVersion(versioning: Versioning, list: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const v of list) if (best === undefined || versioning.compare(v, best) < 0) best = v;
  return best;
}
