import { cratesIo, normalizeCrateName } from '../../intel/registries/cargo.js';
import { cargoLockReader } from '../../sbom/lockfiles/cargo.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { cargoVersioning } from '../versioning/cargo.js';
import { cargo } from './identity.js';

/** Cargo (Rust): crates by `name`, SemVer, crates.io, Cargo.lock. */
export const cargoEcosystem: EcosystemDescriptor = {
  format: 'cargo',
  identity: cargo,
  versioning: cargoVersioning,
  osv: { ecosystems: ['crates.io'] },
  registry: {
    create: (c) => cratesIo({ url: c.cargo.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.name,
    depsDev: { system: 'cargo', normalizeName: normalizeCrateName },
  },
  lockfiles: [cargoLockReader],
};
