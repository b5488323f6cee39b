import type { EcosystemDescriptor } from '../descriptor.js';
import { conda } from './identity.js';

/** Conda packages; OSV has no ecosystem for them. */
export const condaEcosystem: EcosystemDescriptor = {
  format: 'conda',
  identity: conda,
};
