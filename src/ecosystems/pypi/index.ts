import { normalizePypiName, pypi as pypiRegistry } from '../../intel/registries/pypi.js';
import { pipfileLockReader, poetryLockReader, requirementsReader } from '../../sbom/lockfiles/python.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { pep440Versioning } from '../versioning/pep440.js';
import { pypi } from './identity.js';

/** PyPI: packages by `name`, PEP 440 versions, PyPI's JSON API, requirements files, Poetry and Pipenv lockfiles. */
export const pypiEcosystem: EcosystemDescriptor = {
  format: 'pypi',
  identity: pypi,
  versioning: pep440Versioning,
  osv: {
    ecosystems: ['PyPI'],
    // PEP 503: case-insensitive, and runs of `-`, `_`, `.` are the same character.
    normalizeName: (name) => name.toLowerCase().replace(/[-_.]+/g, '-'),
  },
  registry: {
    create: (c) => pypiRegistry({ url: c.pypi.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.name,
    depsDev: { system: 'pypi', normalizeName: normalizePypiName },
  },
  lockfiles: [requirementsReader, poetryLockReader, pipfileLockReader],
};
