import { apkVersioning } from './apk.js';
import { cargoVersioning } from './cargo.js';
import { composerVersioning } from './composer.js';
import { dpkgVersioning } from './dpkg.js';
import { goVersioning } from './go.js';
import { mavenVersioning } from './maven.js';
import { nugetVersioning } from './nuget.js';
import { pep440Versioning } from './pep440.js';
import { rubygemsVersioning } from './rubygems.js';
import { npmVersioning, strictSemver } from './semver.js';
import type { Versioning } from './types.js';

export type { Versioning } from './types.js';
export { maxVersion, minVersion, sortVersions } from './sort.js';
export {
  apkVersioning,
  cargoVersioning,
  composerVersioning,
  dpkgVersioning,
  goVersioning,
  mavenVersioning,
  npmVersioning,
  nugetVersioning,
  pep440Versioning,
  rubygemsVersioning,
};

/** Hex (Elixir) and Pub (Dart) both version by SemVer 2.0; their build-metadata quirks are ignored. */
const hexVersioning = strictSemver('hex');
const pubVersioning = strictSemver('pub');

/** OSV ecosystem names and reference component formats, lower-cased. */
const BY_ECOSYSTEM: Record<string, Versioning> = {
  npm: npmVersioning,
  pypi: pep440Versioning,
  go: goVersioning,
  golang: goVersioning,
  maven: mavenVersioning,
  nuget: nugetVersioning,
  rubygems: rubygemsVersioning,
  gem: rubygemsVersioning,
  'crates.io': cargoVersioning,
  cargo: cargoVersioning,
  packagist: composerVersioning,
  composer: composerVersioning,
  debian: dpkgVersioning,
  deb: dpkgVersioning,
  ubuntu: dpkgVersioning,
  alpine: apkVersioning,
  apk: apkVersioning,
  hex: hexVersioning,
  pub: pubVersioning,
};

/**
 * The version scheme of an ecosystem, by OSV ecosystem name (`npm`, `PyPI`, `Go`, `Maven`, …) or
 * reference component format (`npm`, `pypi`, `golang`, `maven`, …), case-insensitive. OSV's release
 * suffixes (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`) are accepted.
 */
export function versioningFor(ecosystem: string): Versioning | undefined {
  const name = ecosystem.trim().toLowerCase();
  const colon = name.indexOf(':');
  const key = colon >= 0 ? name.slice(0, colon) : name;
  return Object.hasOwn(BY_ECOSYSTEM, key) ? BY_ECOSYSTEM[key] : undefined;
}
