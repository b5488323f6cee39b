import type { Config } from '../../config/config.js';
import { ValidationError } from '../../core/errors.js';
import type { RegistryAdapter } from './adapter.js';
import { cratesIo } from './cargo.js';
import { DEPSDEV_SYSTEMS, depsDev } from './depsdev.js';
import { goProxy } from './golang.js';
import { mavenCentral } from './maven.js';
import { npmRegistry } from './npm.js';
import { nuget } from './nuget.js';
import { packagist } from './packagist.js';
import { pypi } from './pypi.js';
import { rubygems } from './rubygems.js';
import type { RegistryEcosystem } from './types.js';

/** Component formats (reference `format`, OSV ecosystem names) and the registry serving each. */
const FORMATS: Record<RegistryEcosystem, (config: Config['registries']) => RegistryAdapter> = {
  npm: (c) => npmRegistry({ url: c.npm.url, timeoutMs: c.timeoutMs }),
  // `off` as well as empty turns the search API off: an empty environment variable counts as unset.
  maven: (c) => mavenCentral({ url: c.maven.url, searchUrl: /^(off|none)?$/i.test(c.maven.searchUrl) ? '' : c.maven.searchUrl, timeoutMs: c.timeoutMs }),
  pypi: (c) => pypi({ url: c.pypi.url, timeoutMs: c.timeoutMs }),
  cargo: (c) => cratesIo({ url: c.cargo.url, timeoutMs: c.timeoutMs }),
  gem: (c) => rubygems({ url: c.gem.url, timeoutMs: c.timeoutMs }),
  nuget: (c) => nuget({ url: c.nuget.url, timeoutMs: c.timeoutMs }),
  composer: (c) => packagist({ url: c.composer.url, timeoutMs: c.timeoutMs }),
  golang: (c) => goProxy({ url: c.golang.url, depsDevUrl: c.depsdev.url, timeoutMs: c.timeoutMs }),
};

/** The names `registryFor` accepts, for messages and callers that want to check first. */
export const REGISTRY_FORMATS: readonly string[] = Object.keys(FORMATS);

/** The formats `registries.depsdev.formats` hands to deps.dev. */
function depsDevFormats(config: Config['registries']): Set<string> {
  return new Set(
    config.depsdev.formats
      .split(',')
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The adapter for a component format (`npm`, `maven`, `pypi`, `cargo`, `gem`, `nuget`, `composer`,
 * `golang`; case-insensitive), configured from `registries.*`: the format's own registry, or deps.dev
 * where `registries.depsdev.formats` names the format.
 */
export function registryFor(config: Config, format: string): RegistryAdapter {
  const key = format.toLowerCase();
  const make = Object.hasOwn(FORMATS, key) ? FORMATS[key as RegistryEcosystem] : undefined;
  if (!make) {
    throw new ValidationError(`Registry metadata is not available for format "${format}"; known formats: ${REGISTRY_FORMATS.join(', ')}.`);
  }
  const registries = config.registries;
  if (DEPSDEV_SYSTEMS[key as RegistryEcosystem] && depsDevFormats(registries).has(key)) {
    return depsDev({ url: registries.depsdev.url, timeoutMs: registries.timeoutMs, ecosystem: key as RegistryEcosystem });
  }
  return make(registries);
}
