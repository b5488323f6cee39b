/**
 * SemVer 2.0 precedence, which the OSV schema prescribes for `SEMVER` ranges whatever the ecosystem.
 * (Go's records, for one, use them): `1.2.3`, no `v`; build metadata such as `+incompatible` does
 * not count in the order.
 */
import semver from 'semver';
import type { Versioning } from '../../ecosystems/versioning/index.js';

export const semver2: Versioning = {
  name: 'semver2',
  isValid: (v) => semver.valid(v) !== null,
  compare: (a, b) => {
    const va = semver.valid(a);
    const vb = semver.valid(b);
    if (va && vb) return semver.compare(va, vb);
    // Not SemVer: after every valid version, in text order, so the order is still total.
    if (va) return -1;
    if (vb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
};
