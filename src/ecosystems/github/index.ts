import type { EcosystemDescriptor } from '../descriptor.js';
import { github } from './identity.js';

/** GitHub repositories and GitHub Actions (`namespace` owner, `name` repository); OSV names the Actions. */
export const githubEcosystem: EcosystemDescriptor = {
  format: 'github',
  identity: github,
  osv: { ecosystems: ['GitHub Actions'] },
};
