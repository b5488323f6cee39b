import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import { defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * RubyGems: Gem::Version ordering as `@renovatebot/ruby-semver` implements it. Segments split on
 * dots and letter/digit boundaries; any letter segment makes a prerelease (`1.0.a` < `1.0`); trailing
 * zeros do not count (`1.0` == `1`); `-` means `.pre.` (`1.0-1` == `1.0.pre.1`).
 */
export const rubygemsVersioning: Versioning = defineVersioning<Version>({
  name: 'rubygems',
  // Gem::Version reads "" as "0"; a blank string is not a version for us.
  parse: (v) => (v.trim() === '' ? null : Version.create(v)),
  compare: (a, b) => a.compare(b),
});
