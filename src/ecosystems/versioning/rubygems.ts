import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import { defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * RubyGems: Gem::Version ordering. `@renovatebot/ruby-semver` parses (segments split on dots and
 * letter/digit boundaries, `-` read as `.pre.`, trailing zeros dropped); the comparison is
 * Gem::Version#<=> over those canonical segments, done here once per string instead of per call:
 * a letter segment sorts before a number (`1.0.a` < `1.0`), letters compare as strings.
 */
export const rubygemsVersioning: Versioning = defineVersioning<Segment[]>({
  name: 'rubygems',
  // Gem::Version reads "" as "0"; a blank string is not a version for us.
  parse: (v) => (v.trim() === '' ? null : (Version.create(v)?.canonicalSegments() ?? null)),
  compare: compareSegments,
});

type Segment = string | number;

function compareSegments(a: Segment[], b: Segment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x === y) continue;
    const xs = typeof x === 'string';
    const ys = typeof y === 'string';
    if (xs !== ys) return xs ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
