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
    compareDigits(a.epoch, b.epoch) ||
    compareRuns(a.upstreamRuns, b.upstreamRuns) ||
    compareRuns(a.revisionRuns, b.revisionRuns),
  isValid: (_v, p) =>
    /^[0-9]/.test(p.upstream) && /^[A-Za-z0-9.+~:-]+$/.test(p.upstream) && /^[A-Za-z0-9.+~]*$/.test(p.revision),
});

interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
  /** upstream and revision split once into verrevcmp's alternating runs. */
  upstreamRuns: Run[];
  revisionRuns: Run[];
}

/** A non-digit run as dpkg character weights, then the digit run after it (leading zeros dropped). */
interface Run {
  weights: number[];
  digits: string;
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
  return { epoch, upstream, revision, upstreamRuns: runs(upstream), revisionRuns: runs(revision) };
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

function runs(s: string): Run[] {
  const out: Run[] = [];
  let i = 0;
  while (i < s.length) {
    const weights: number[] = [];
    while (i < s.length && !isDigit(s.charCodeAt(i))) weights.push(order(s.charCodeAt(i++)));
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    out.push({ weights, digits: s.slice(start, i).replace(/^0+/, '') });
  }
  return out;
}

const EMPTY_RUN: Run = { weights: [], digits: '' };

/**
 * dpkg's verrevcmp over pre-split runs: non-digit runs weight by weight (a run that has ended
 * weighs 0, so `~` sorts before it and everything else after), then digit runs as integers.
 */
function compareRuns(a: Run[], b: Run[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? EMPTY_RUN;
    const y = b[i] ?? EMPTY_RUN;
    const m = Math.max(x.weights.length, y.weights.length);
    for (let k = 0; k < m; k++) {
      const d = (x.weights[k] ?? 0) - (y.weights[k] ?? 0);
      if (d !== 0) return d;
    }
    if (x.digits !== y.digits) {
      if (x.digits.length !== y.digits.length) return x.digits.length - y.digits.length;
      return x.digits < y.digits ? -1 : 1;
    }
  }
  return 0;
}
