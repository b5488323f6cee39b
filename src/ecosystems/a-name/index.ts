import type { EcosystemDescriptor } from '../descriptor.js';
import { aName } from './identity.js';

/** a-name (Sonatype's authoritative names of JavaScript files); OSV has no ecosystem for it. */
export const aNameEcosystem: EcosystemDescriptor = {
  format: 'a-name',
  identity: aName,
};
