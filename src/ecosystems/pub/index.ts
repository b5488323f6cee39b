import type { EcosystemDescriptor } from '../descriptor.js';
import { strictSemver } from '../versioning/semver.js';

/**
 * Pub (Dart), known from advisories: no identity module (the generic fallback names its components
 * by purl type). SemVer 2.0, its build-metadata quirks ignored.
 */
export const pubEcosystem: EcosystemDescriptor = {
  format: 'pub',
  versioning: strictSemver('pub'),
  osv: { ecosystems: ['Pub'] },
};
