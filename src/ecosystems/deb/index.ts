import { type EcosystemDescriptor, osvEcosystemBase } from '../descriptor.js';
import { dpkgVersioning } from '../versioning/dpkg.js';
import { deb } from './identity.js';

/** Debian packages (Debian, Ubuntu): dpkg's version order; advisories name the distribution, kept as the purl namespace. */
export const debEcosystem: EcosystemDescriptor = {
  format: 'deb',
  aliases: ['debian'],
  identity: deb,
  versioning: dpkgVersioning,
  osv: {
    ecosystems: ['Debian', 'Ubuntu'],
    coordinatesOf: (pkg) => ({ name: pkg.name.trim(), namespace: osvEcosystemBase(pkg.ecosystem) }),
    // Advisories name the release (`Debian:12`), which a component identifier lacks.
    nameOf: () => undefined,
  },
};
