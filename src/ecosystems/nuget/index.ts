import { normalizeNugetId, nuget as nugetRegistry } from '../../intel/registries/nuget.js';
import { nugetLockReader } from '../../sbom/lockfiles/nuget.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { nugetVersioning } from '../versioning/nuget.js';
import { nuget } from './identity.js';

/** NuGet: packages by `packageId`, NuGet's version order, a NuGet v3 feed, packages.lock.json. */
export const nugetEcosystem: EcosystemDescriptor = {
  format: 'nuget',
  identity: nuget,
  versioning: nugetVersioning,
  osv: {
    ecosystems: ['NuGet'],
    // Package ids are case-insensitive.
    normalizeName: (name) => name.toLowerCase(),
    coordinatesOf: (pkg) => ({ packageId: pkg.name.trim() }),
    nameOf: (c) => c.packageId,
  },
  registry: {
    create: (c) => nugetRegistry({ url: c.nuget.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.packageId,
    depsDev: { system: 'nuget', normalizeName: normalizeNugetId },
  },
  lockfiles: [nugetLockReader],
};
