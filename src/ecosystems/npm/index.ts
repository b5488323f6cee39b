import { normalizeNpmName, npmRegistry } from '../../intel/registries/npm.js';
import { packageLockReader } from '../../sbom/lockfiles/npm.js';
import { pnpmLockReader } from '../../sbom/lockfiles/pnpm.js';
import { yarnLockReader } from '../../sbom/lockfiles/yarn.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { npmVersioning } from '../versioning/semver.js';
import { npm } from './identity.js';

/** npm: packages by `packageId` (`@scope/name`), SemVer as npm reads it, the npm registry, npm, yarn and pnpm lockfiles. */
export const npmEcosystem: EcosystemDescriptor = {
  format: 'npm',
  identity: npm,
  versioning: npmVersioning,
  osv: {
    ecosystems: ['npm'],
    coordinatesOf: (pkg) => ({ packageId: pkg.name.trim() }),
    nameOf: (c) => c.packageId,
  },
  registry: {
    create: (c) => npmRegistry({ url: c.npm.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.packageId,
    depsDev: { system: 'npm', normalizeName: normalizeNpmName },
  },
  lockfiles: [packageLockReader, yarnLockReader, pnpmLockReader],
};
