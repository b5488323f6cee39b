import type { EcosystemDescriptor } from '../descriptor.js';
import { cran } from './identity.js';

/** CRAN (R) packages. */
export const cranEcosystem: EcosystemDescriptor = {
  format: 'cran',
  identity: cran,
  osv: { ecosystems: ['CRAN'] },
};
