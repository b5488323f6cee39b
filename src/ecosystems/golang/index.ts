import { normalizeGoModule } from '../../intel/registries/go-modules.js';
import { goProxy } from '../../intel/registries/golang.js';
import { goModReader, goSumReader } from '../../sbom/lockfiles/go.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { goVersioning } from '../versioning/go.js';
import { golang } from './identity.js';

/** Go: modules by path (`name`), Go's version order (pseudo-versions too), the module proxy with deps.dev's licenses, go.mod and go.sum. */
export const golangEcosystem: EcosystemDescriptor = {
  format: 'golang',
  identity: golang,
  versioning: goVersioning,
  osv: {
    ecosystems: ['Go'],
    // Go versions are tags (`v1.2.3`); Go's advisories write them without the `v`.
    normalizeVersion: (version) => (/^v\d/.test(version) ? version.slice(1) : version),
  },
  registry: {
    create: (c) => goProxy({ url: c.golang.url, depsDevUrl: c.depsdev.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.name,
    depsDev: { system: 'go', normalizeName: normalizeGoModule },
  },
  lockfiles: [goModReader, goSumReader],
};
