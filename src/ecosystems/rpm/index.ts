import type { EcosystemDescriptor } from '../descriptor.js';
import { rpm } from './identity.js';

/** RPM packages, shared by Red Hat and the distributions built like it; no version scheme yet. */
export const rpmEcosystem: EcosystemDescriptor = {
  format: 'rpm',
  identity: rpm,
  osv: {
    ecosystems: ['Red Hat', 'Rocky Linux', 'AlmaLinux', 'openSUSE', 'SUSE', 'Mageia', 'openEuler', 'Azure Linux', 'Photon OS'],
    // Advisories name the release (`Red Hat:enterprise_linux:9`), which a component identifier lacks.
    nameOf: () => undefined,
  },
};
