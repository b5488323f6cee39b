import { compareDigits, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * Packagist / Composer: versions are normalised as composer/semver's VersionParser::normalize does
 * (`v` prefix dropped, padded to four numbers, `1.0RC1` → `1.0.0.0-RC1`, `-p1`/`-pl1` → `-patch1`,
 * `a`/`b` → `alpha`/`beta`, date versions, `1.x-dev` branches → `1.9999999.9999999.9999999-dev`) and
 * then ordered with PHP's version_compare, which is what Composer's Comparator uses:
 * dev < alpha < beta < RC < release < patch.
 *
 * Named branches (`dev-main`) are not versions to Composer (they compare with nothing), so they are
 * invalid here and sort before every real version.
 */
export const composerVersioning: Versioning = defineVersioning<string[]>({
  name: 'composer',
  parse: (v) => {
    const normalized = normalizeComposerVersion(v);
    return normalized === null || normalized.startsWith('dev-') ? null : canonicalParts(normalized);
  },
  compare: comparePhpParts,
});

// composer/semver's modifier pattern (its possessive quantifiers do not change what matches here).
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

/**
 * VersionParser::normalize: the canonical spelling of a version, or null when Composer would reject
 * it. Exported for the lockfile and range code that need Composer's own spelling.
 */
export function normalizeComposerVersion(input: string): string | null {
  let version = input.trim();
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(version);
  if (alias) version = alias[1];
  version = version.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.toLowerCase().startsWith('dev-')) return `dev-${version.slice(4)}`;
  const build = /^([^,\s+]+)\+[^\s]+$/.exec(version);
  if (build) version = build[1];

  let m = CLASSICAL.exec(version);
  let normalized: string;
  let index: number;
  if (m) {
    normalized = m[1] + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0');
    index = 5;
  } else {
    m = DATE.exec(version);
    if (m) {
      normalized = m[1].replace(/\D/g, '.');
      index = 2;
    } else {
      return normalizeDevBranch(version);
    }
  }
  if (m[index]) {
    if (m[index] === 'stable') return normalized;
    const number = m[index + 1] ? m[index + 1].replace(/^[.-]+/, '') : '';
    normalized += `-${expandStability(m[index])}${number}`;
  }
  if (m[index + 2]) normalized += '-dev';
  return normalized;
}

/** `1.x-dev`, `2.1.*-dev`: numeric branches; anything else ending in -dev is a named branch. */
function normalizeDevBranch(version: string): string | null {
  const dev = /^(.*?)[.-]?dev$/i.exec(version);
  if (!dev) return null;
  const m = BRANCH.exec(dev[1].trim());
  if (!m) return null;
  let out = '';
  for (let i = 1; i < 5; i++) out += m[i] !== undefined ? m[i].replace(/[*X]/g, 'x') : '.x';
  return `${out.replaceAll('x', '9999999')}-dev`;
}

function expandStability(stability: string): string {
  const s = stability.toLowerCase();
  if (s === 'a') return 'alpha';
  if (s === 'b') return 'beta';
  if (s === 'p' || s === 'pl') return 'patch';
  if (s === 'rc') return 'RC';
  return s;
}

/**
 * php_canonicalize_version + explode('.'): `-`, `_`, `+` and other punctuation become dots, and a
 * dot is inserted wherever digits meet non-digits.
 */
function canonicalParts(version: string): string[] {
  const parts: string[] = [];
  let current = '';
  let currentIsDigit = false;
  for (const ch of version) {
    const alnum = /[0-9A-Za-z]/.test(ch);
    if (!alnum) {
      if (current !== '') parts.push(current);
      current = '';
      continue;
    }
    const digit = ch >= '0' && ch <= '9';
    if (current !== '' && digit !== currentIsDigit) {
      parts.push(current);
      current = '';
    }
    current += ch;
    currentIsDigit = digit;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** PHP's special forms; anything not listed sorts below `dev`. Matched by prefix, as PHP does. */
const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(part: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (part.startsWith(name)) return order;
  return -1;
}

const NUMBER_FORM = '#N#';

function isNumeric(part: string): boolean {
  const c = part.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function comparePart(a: string, b: string): number {
  const an = isNumeric(a);
  const bn = isNumeric(b);
  if (an && bn) return compareDigits(a, b);
  return Math.sign(specialForm(an ? NUMBER_FORM : a) - specialForm(bn ? NUMBER_FORM : b));
}

/** php_version_compare over canonical parts. */
function comparePhpParts(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = comparePart(a[i], b[i]);
    if (r !== 0) return r;
  }
  if (a.length > n) return isNumeric(a[n]) ? 1 : comparePart(a[n], NUMBER_FORM);
  if (b.length > n) return isNumeric(b[n]) ? -1 : comparePart(NUMBER_FORM, b[n]);
  return 0;
}
