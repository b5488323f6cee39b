import { aName } from './a-name/identity.js';
import { alpine } from './alpine/identity.js';
import { cargo } from './cargo/identity.js';
import { cocoapods } from './cocoapods/identity.js';
import { composer } from './composer/identity.js';
import { conan } from './conan/identity.js';
import { conda } from './conda/identity.js';
import { cran } from './cran/identity.js';
import { deb } from './deb/identity.js';
import { gem } from './gem/identity.js';
import { genericIdentity } from './generic/identity.js';
import { github } from './github/identity.js';
import { golang } from './golang/identity.js';
import { maven } from './maven/identity.js';
import { npm } from './npm/identity.js';
import { nuget } from './nuget/identity.js';
import { pypi } from './pypi/identity.js';
import { rpm } from './rpm/identity.js';
import { swift } from './swift/identity.js';
import type { FormatIdentity } from './types.js';

/** Every format with a module of its own; any other purl type goes through the generic fallback. */
export const FORMATS: readonly FormatIdentity[] = [
  maven, npm, pypi, nuget, gem, golang, cargo, composer, conda, cran, cocoapods, swift, conan, rpm, deb, alpine,
  github, aName,
];

/**
 * Other names clients use for a format: the purl type where it differs from the format name, and
 * the spellings of the reference's own prose ("rubygems" in the firewall evaluation notes).
 */
const FORMAT_ALIASES: Record<string, string> = {
  apk: 'alpine',
  debian: 'deb',
  rubygems: 'gem',
};

const byFormat = new Map(FORMATS.map((f) => [f.format, f]));
const byPurlType = new Map(FORMATS.map((f) => [f.purlType, f]));

/** The module for a reference format name (case-insensitive, aliases accepted), or undefined. */
export function knownFormat(format: string): FormatIdentity | undefined {
  const name = format.trim().toLowerCase();
  return byFormat.get(FORMAT_ALIASES[name] ?? name);
}

/** The module for a format name, the generic fallback when it has none. */
export function identityForFormat(format: string): FormatIdentity {
  return knownFormat(format) ?? genericIdentity(format.trim().toLowerCase());
}

/** The module for a (normalized, lowercase) purl type, the generic fallback when it has none. */
export function identityForPurlType(type: string): FormatIdentity {
  return byPurlType.get(type) ?? genericIdentity(type);
}
