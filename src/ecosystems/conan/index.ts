import type { EcosystemDescriptor } from '../descriptor.js';
import { conan } from './identity.js';

/** Conan packages. */
export const conanEcosystem: EcosystemDescriptor = {
  format: 'conan',
  identity: conan,
  osv: { ecosystems: ['ConanCenter'] },
};
