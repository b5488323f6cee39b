import type { EcosystemDescriptor } from '../descriptor.js';
import { swift } from './identity.js';

/** Swift packages by their repository URL. */
export const swiftEcosystem: EcosystemDescriptor = {
  format: 'swift',
  identity: swift,
  osv: { ecosystems: ['SwiftURL'] },
};
