import type { Config } from '../../config/config.js';
import { ValidationError } from '../../services/errors.js';
import type { RegistryAdapter } from './adapter.js';
import { mavenCentral } from './maven.js';
import { npmRegistry } from './npm.js';
import { pypi } from './pypi.js';

/** Component formats (reference `format`, OSV ecosystem names) and the registry serving each. */
const FORMATS: Record<string, (config: Config['registries']) => RegistryAdapter> = {
  npm: (c) => npmRegistry({ url: c.npm.url, timeoutMs: c.timeoutMs }),
  // `off` as well as empty turns the search API off: an empty environment variable counts as unset.
  maven: (c) => mavenCentral({ url: c.maven.url, searchUrl: /^(off|none)?$/i.test(c.maven.searchUrl) ? '' : c.maven.searchUrl, timeoutMs: c.timeoutMs }),
  pypi: (c) => pypi({ url: c.pypi.url, timeoutMs: c.timeoutMs }),
};

/** The names `registryFor` accepts, for messages and callers that want to check first. */
export const REGISTRY_FORMATS = Object.keys(FORMATS);

/** The adapter for a component format (`npm`, `maven`, `pypi`; case-insensitive), configured from `registries.*`. */
export function registryFor(config: Config, format: string): RegistryAdapter {
  const key = format.toLowerCase();
  const make = Object.hasOwn(FORMATS, key) ? FORMATS[key] : undefined;
  if (!make) {
    throw new ValidationError(`Registry metadata is not available for format "${format}"; known formats: ${REGISTRY_FORMATS.join(', ')}.`);
  }
  return make(config.registries);
}
