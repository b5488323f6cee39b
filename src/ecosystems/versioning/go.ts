import { compareDigits, comparePrereleaseIdentifiers, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * Go modules: semantic versions as golang.org/x/mod/semver reads them — `v` prefix, shorthand `v1` /
 * `v1.2` for `v1.0.0` / `v1.2.0`, no leading zeros, build metadata (`+incompatible`) ignored.
 * Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…`, `v1.2.3-pre.0.2019…`)
 * are ordinary pre-releases, so SemVer precedence orders them as the go command does. OSV writes Go
 * versions without the `v`, so the prefix is optional here (then with all three numbers).
 */
export const goVersioning: Versioning = defineVersioning<GoVersion>({
  name: 'go',
  parse: parseGo,
  compare: compareGo,
});

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** Dot-split pre-release identifiers; empty for a release. */
  prerelease: string[];
}

const NUMBER = '(0|[1-9][0-9]*)';
const IDENT = '[0-9A-Za-z-]+';
const GO_VERSION = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`,
);
const LEADING_ZERO_NUMBER = /^0[0-9]+$/;

function parseGo(v: string): GoVersion | null {
  const m = GO_VERSION.exec(v);
  if (!m) return null;
  // Without the `v` (OSV's spelling) only the full X.Y.Z form: a bare `0` is OSV's "since the
  // beginning", not v0.0.0 (which sorts after every v0.0.0-… pseudo-version).
  if (v[0] !== 'v' && m[3] === undefined) return null;
  const prerelease = m[4] ? m[4].split('.') : [];
  // SemVer forbids leading zeros in numeric pre-release identifiers; Go rejects them too.
  if (prerelease.some((id) => LEADING_ZERO_NUMBER.test(id))) return null;
  return { major: m[1], minor: m[2] ?? '0', patch: m[3] ?? '0', prerelease };
}

function compareGo(a: GoVersion, b: GoVersion): number {
  return (
    compareDigits(a.major, b.major) ||
    compareDigits(a.minor, b.minor) ||
    compareDigits(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  return comparePrereleaseIdentifiers(a, b);
}
