import semver from 'semver';
import { defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * npm's versions: SemVer 2.0 precedence as the `semver` package implements it, parsed loosely the way
 * npm reads package.json (`v1.2.3`, `=1.2.3`, surrounding spaces, `1.2.3beta`). Build metadata is
 * ignored for ordering.
 */
export const npmVersioning: Versioning = semverScheme('semver', true);

/** Strict SemVer 2.0 (no `v` prefix, no loose forms), for ecosystems that require it. */
export function strictSemver(name: string): Versioning {
  return semverScheme(name, false);
}

function semverScheme(name: string, loose: boolean): Versioning {
  const options = { loose };
  return defineVersioning<semver.SemVer>({
    name,
    parse: (v) => {
      // node-semver's strict mode still takes `v1.2.3` and `=1.2.3`; SemVer itself does not.
      if (!loose && (!/^[0-9]/.test(v) || v.trim() !== v)) return null;
      return new semver.SemVer(v, options);
    },
    compare: (a, b) => a.compare(b),
  });
}
