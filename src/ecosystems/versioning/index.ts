import { osvEcosystemBase } from '../descriptor.js';
import { ECOSYSTEMS } from '../index.js';
import type { Versioning } from './types.js';

export type { Versioning } from './types.js';
export { maxVersion, minVersion, sortVersions } from './sort.js';

/**
 * Scheme by OSV ecosystem name and reference component format (and the format's aliases),
 * lower-cased, from the descriptors (ecosystems/<format>/index.ts).
 */
const BY_ECOSYSTEM = new Map<string, Versioning>();
for (const ecosystem of ECOSYSTEMS) {
  const scheme = ecosystem.versioning;
  if (!scheme) continue;
  const unversioned = new Set(ecosystem.osv?.unversioned ?? []);
  const osvNames = (ecosystem.osv?.ecosystems ?? []).filter((name) => !unversioned.has(name));
  for (const name of [ecosystem.format, ...(ecosystem.aliases ?? []), ...osvNames]) BY_ECOSYSTEM.set(name.toLowerCase(), scheme);
}

/**
 * The version scheme of an ecosystem, by OSV ecosystem name (`npm`, `PyPI`, `Go`, `Maven`, …) or
 * reference component format (`npm`, `pypi`, `golang`, `maven`, …), case-insensitive. OSV's release
 * suffixes (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`) are accepted.
 */
export function versioningFor(ecosystem: string): Versioning | undefined {
  return BY_ECOSYSTEM.get(osvEcosystemBase(ecosystem));
}
