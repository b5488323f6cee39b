import type { EcosystemDescriptor } from '../descriptor.js';

/** Hackage (Haskell), known from advisories: no identity module (the generic fallback names its components by purl type). */
export const hackageEcosystem: EcosystemDescriptor = {
  format: 'hackage',
  osv: { ecosystems: ['Hackage'] },
};
