import type { EcosystemDescriptor } from '../descriptor.js';
import { strictSemver } from '../versioning/semver.js';

/**
 * Hex (Elixir, Erlang), known from advisories: no identity module (the generic fallback names its
 * components by purl type). SemVer 2.0, its build-metadata quirks ignored; names case-insensitive.
 */
export const hexEcosystem: EcosystemDescriptor = {
  format: 'hex',
  versioning: strictSemver('hex'),
  osv: { ecosystems: ['Hex'], normalizeName: (name) => name.toLowerCase() },
};
