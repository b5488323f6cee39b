/**
 * SemVer 2.0 precedence, which the OSV schema prescribes for `SEMVER` ranges whatever the ecosystem
 * (Go's records, for one, use them): `1.2.3`, no `v`; build metadata such as `+incompatible` does
 * not count in the order.
 */
import semver, { SemVer } from 'semver';
import type { Versioning } from '../../ecosystems/versioning/index.js';

/** Parsed versions, first in first out: matching compares the same few thousand strings over and over. */
const CACHE_SIZE = 20_000;
const cache = new Map<string, SemVer | null>();

function parse(version: string): SemVer | null {
  let parsed = cache.get(version);
  if (parsed !== undefined) return parsed;
  parsed = semver.valid(version) === null ? null : new SemVer(version);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(version, parsed);
  return parsed;
}

export const semver2: Versioning = {
  name: 'semver2',
  isValid: (v) => parse(v) !== null,
  compare: (a, b) => {
    if (a === b) return 0;
    const va = parse(a);
    const vb = parse(b);
    if (va && vb) return va.compare(vb);
    // Not SemVer: after every valid version, in text order, so the order is still total.
    if (va) return -1;
    if (vb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
};
