import { compareDigits, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * Debian and Ubuntu: dpkg's `[epoch:]upstream[-revision]` ordering (deb-version(7)). Epochs compare
 * as integers; upstream and revision with dpkg's verrevcmp: alternate non-digit runs (compared
 * character by character with `~` before everything, even the end of the string, then letters, then
 * other characters) and digit runs (compared as integers). A missing revision compares like "0".
 *
 * Like dpkg, ordering accepts anything `dpkg --compare-versions` accepts (it only warns about odd
 * characters); `isValid` is the strict reading without warnings.
 */
export const dpkgVersioning: Versioning = defineVersioning<DebianVersion>({
  name: 'dpkg',
  parse: parseDebian,
  compare: (a, b) =>
    compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision),
  isValid: (_v, p) =>
    /^[0-9]/.test(p.upstream) && /^[A-Za-z0-9.+~:-]+$/.test(p.upstream) && /^[A-Za-z0-9.+~]*$/.test(p.revision),
});

interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const INT_MAX = '2147483647';

/** Mirrors dpkg's parseversion(): only its errors make a string unusable, not its warnings. */
function parseDebian(input: string): DebianVersion | null {
  const v = input.trim();
  if (v === '' || /\s/.test(v)) return null;
  let epoch = '0';
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    epoch = v.slice(0, colon);
    if (!/^[0-9]+$/.test(epoch) || compareDigits(epoch, INT_MAX) > 0) return null;
    rest = v.slice(colon + 1);
    if (rest === '') return null;
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') return null;
  }
  if (upstream === '') return null;
  return { epoch, upstream, revision };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** dpkg's character weight: `~` < end of string / digit < letters < everything else. */
function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  if (c) return c + 256;
  return 0;
}

/** dpkg's verrevcmp over one upstream or revision string; past the end reads as 0 (NUL in C). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const at = (s: string, k: number) => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 48) i++;
    while (at(b, j) === 48) j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (!firstDiff) firstDiff = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}
