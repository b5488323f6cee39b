import { packagist } from '../../intel/registries/packagist.js';
import { composerLockReader } from '../../sbom/lockfiles/composer.js';
import { ValidationError } from '../../core/errors.js';
import type { Coordinates } from '../types.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { composerVersioning } from '../versioning/composer.js';
import { composer } from './identity.js';

/** Composer's name for a package, as OSV and Packagist write it: `vendor/name`. */
const packageName = (c: Coordinates) => (c.namespace && c.name ? `${c.namespace}/${c.name}` : undefined);

/** Composer (PHP): `vendor/name`, Composer's version order, Packagist, composer.lock. */
export const composerEcosystem: EcosystemDescriptor = {
  format: 'composer',
  identity: composer,
  versioning: composerVersioning,
  osv: {
    ecosystems: ['Packagist'],
    // Packagist names are case-insensitive.
    normalizeName: (name) => name.toLowerCase(),
    coordinatesOf(pkg) {
      const name = pkg.name.trim();
      const slash = name.indexOf('/');
      if (slash <= 0) throw new ValidationError(`The Packagist package name "${pkg.name}" is not vendor/name`);
      return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
    },
    nameOf: packageName,
  },
  registry: {
    create: (c) => packagist({ url: c.composer.url, timeoutMs: c.timeoutMs }),
    packageName,
  },
  lockfiles: [composerLockReader],
};
