import type { EcosystemDescriptor } from '../descriptor.js';
import { cocoapods } from './identity.js';

/** CocoaPods; OSV has no ecosystem for it. */
export const cocoapodsEcosystem: EcosystemDescriptor = {
  format: 'cocoapods',
  identity: cocoapods,
};
