import type { EcosystemDescriptor } from '../descriptor.js';

/** Bitnami's packaged applications, known from advisories: no identity module (the generic fallback names them by purl type). */
export const bitnamiEcosystem: EcosystemDescriptor = {
  format: 'bitnami',
  osv: { ecosystems: ['Bitnami'] },
};
