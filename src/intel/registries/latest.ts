import type { Versioning } from '../../ecosystems/versioning/types.js';
import type { PackageVersion, RegistryEcosystem } from './types.js';

/**
 * Whether a version is a prerelease in its ecosystem: RubyGems counts any letter (`1.0.0.rc1`),
 * Composer its stability suffixes (`-RC1`, `-beta2`, `-dev`), the SemVer ecosystems (npm, Cargo,
 * NuGet, Go, where pseudo-versions are prereleases too) a `-` part before any build metadata.
 */
function isPrerelease(ecosystem: RegistryEcosystem, version: string): boolean {
  if (ecosystem === 'gem') return /[a-z]/i.test(version);
  if (ecosystem === 'composer') return /(^|[^a-z])(dev|alpha|a|beta|b|rc)(\d|[.-]|$)/i.test(version.replace(/^v/i, ''));
  return version.split('+')[0].includes('-');
}

/**
 * The latest version where the registry names none, as its package manager picks it: the highest
 * stable version not withdrawn (yanked, unlisted), else the highest not withdrawn, else the highest,
 * in the order of the ecosystem's version `scheme` (else as listed).
 */
export function highestStable(ecosystem: RegistryEcosystem, versions: readonly PackageVersion[], scheme: Versioning | undefined): string | null {
  const ordered = scheme ? [...versions].sort((a, b) => scheme.compare(a.version, b.version)) : [...versions];
  const available = ordered.filter((v) => !v.yanked);
  const stable = available.filter((v) => !isPrerelease(ecosystem, v.version));
  return (stable.at(-1) ?? available.at(-1) ?? ordered.at(-1))?.version ?? null;
}
