import semver from 'semver';
import type { Versioning } from './types.js';

export type { Versioning } from './types.js';

// Placeholder until each scheme has its own module: npm semver only.
const npmSemver: Versioning = {
  name: 'semver',
  isValid: (v) => semver.valid(v, { loose: true }) !== null,
  compare: (a, b) => {
    const va = semver.valid(a, { loose: true });
    const vb = semver.valid(b, { loose: true });
    if (va && vb) return semver.compare(va, vb, { loose: true });
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
};

/**
 * The version scheme of an ecosystem, by OSV ecosystem name (`npm`, `PyPI`, `Go`, `Maven`, …) or
 * reference component format (`npm`, `pypi`, `golang`, `maven`, …), case-insensitive.
 */
export function versioningFor(ecosystem: string): Versioning | undefined {
  switch (ecosystem.toLowerCase()) {
    case 'npm':
      return npmSemver;
    default:
      return undefined;
  }
}
