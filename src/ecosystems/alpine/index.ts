import { type EcosystemDescriptor, osvEcosystemBase } from '../descriptor.js';
import type { Coordinates } from '../types.js';
import { apkVersioning } from '../versioning/apk.js';
import { alpine } from './identity.js';

/** Distributions whose vendor the purl names as its namespace; Alpine's is the identity's default. */
const VENDORS = new Set(['wolfi', 'chainguard']);

/** Alpine packages (purl type apk), shared by Alpine, Wolfi, Chainguard and Alpaquita: apk's version order. */
export const alpineEcosystem: EcosystemDescriptor = {
  format: 'alpine',
  aliases: ['apk'],
  identity: alpine,
  versioning: apkVersioning,
  osv: {
    ecosystems: ['Alpine', 'Wolfi', 'Chainguard', 'Alpaquita'],
    // Only Alpine's advisories are compared by apk's order; the others have no scheme (as before the descriptors).
    unversioned: ['Wolfi', 'Chainguard', 'Alpaquita'],
    coordinatesOf(pkg) {
      const coordinates: Coordinates = { name: pkg.name.trim() };
      const vendor = osvEcosystemBase(pkg.ecosystem);
      if (VENDORS.has(vendor)) coordinates.namespace = vendor;
      return coordinates;
    },
    // Advisories name the release (`Alpine:v3.20`), which a component identifier lacks.
    nameOf: () => undefined,
  },
};
