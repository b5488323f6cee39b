import type { Versioning } from './types.js';

/** How many parsed versions each scheme keeps: enough for a scan's working set, small in memory. */
const DEFAULT_CACHE_SIZE = 20_000;

/**
 * Builds a Versioning from a parser and a comparator over parsed values. Parsed results (including
 * "not a version") are cached per scheme, first in first out, so the range matcher's millions of
 * comparisons over a few thousand distinct strings parse each string once.
 *
 * The total order: every valid version sorts after every invalid string; invalid strings sort among
 * themselves by UTF-16 code units. `parse` must never throw (it is guarded anyway).
 */
export function defineVersioning<P>(spec: {
  name: string;
  parse: (version: string) => P | null;
  compare: (a: P, b: P) => number;
  /** A stricter validity than "the comparator understands it", where the ecosystem has one. */
  isValid?: (version: string, parsed: P) => boolean;
  cacheSize?: number;
}): Versioning {
  const limit = spec.cacheSize ?? DEFAULT_CACHE_SIZE;
  const cache = new Map<string, P | null>();

  const parsed = (version: string): P | null => {
    const hit = cache.get(version);
    if (hit !== undefined) return hit;
    let value: P | null = null;
    if (typeof version === 'string') {
      try {
        value = spec.parse(version);
      } catch {
        value = null;
      }
    }
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(version, value);
    return value;
  };

  return {
    name: spec.name,
    isValid(version) {
      const p = parsed(version);
      if (p === null) return false;
      return spec.isValid ? spec.isValid(version, p) : true;
    },
    compare(a, b) {
      if (a === b) return 0;
      const pa = parsed(a);
      const pb = parsed(b);
      if (pa !== null && pb !== null) return Math.sign(spec.compare(pa, pb));
      if (pa !== null) return 1;
      if (pb !== null) return -1;
      return compareStrings(String(a), String(b));
    },
  };
}

/** Plain UTF-16 code unit order, as Java's String.compareTo and Go's string comparison. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two runs of ASCII digits as unbounded non-negative integers (leading zeros ignored). */
export function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

const DIGITS = /^[0-9]+$/;

function isDigits(s: string): boolean {
  return DIGITS.test(s);
}

/**
 * SemVer 2.0 precedence of two dot-split pre-release identifier lists (both non-empty): numeric
 * identifiers compare as integers and sort before alphanumeric ones; a shorter list that is a prefix
 * of the longer sorts first.
 */
export function comparePrereleaseIdentifiers(
  a: readonly string[],
  b: readonly string[],
  compareText: (x: string, y: string) => number = compareStrings,
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const xn = isDigits(x);
    const yn = isDigits(y);
    if (xn !== yn) return xn ? -1 : 1;
    const r = xn ? compareDigits(x, y) : compareText(x, y);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
