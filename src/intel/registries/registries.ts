import type { Config } from '../../config/config.js';
import { ValidationError } from '../../core/errors.js';
import type { EcosystemDescriptor, RegistryDescriptor } from '../../ecosystems/descriptor.js';
import { ECOSYSTEMS } from '../../ecosystems/index.js';
import type { RegistryAdapter } from './adapter.js';
import { depsDev } from './depsdev.js';

/** The ecosystems with a registry, by format name: each descriptor's `registry` (ecosystems/<format>/index.ts). */
const WITH_REGISTRY = new Map<string, EcosystemDescriptor & { registry: RegistryDescriptor }>();
for (const ecosystem of ECOSYSTEMS) {
  if (ecosystem.registry) WITH_REGISTRY.set(ecosystem.format, { ...ecosystem, registry: ecosystem.registry });
}

/** The names `registryFor` accepts, for messages and callers that want to check first. */
export const REGISTRY_FORMATS: readonly string[] = [...WITH_REGISTRY.keys()];

/** The registry of a component format (case-insensitive; format names only, not aliases), or undefined. */
export function registryDescriptor(format: string): RegistryDescriptor | undefined {
  return WITH_REGISTRY.get(format.toLowerCase())?.registry;
}

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
  const ecosystem = WITH_REGISTRY.get(key);
  if (!ecosystem) {
    throw new ValidationError(`Registry metadata is not available for format "${format}"; known formats: ${REGISTRY_FORMATS.join(', ')}.`);
  }
  const registries = config.registries;
  if (ecosystem.registry.depsDev && depsDevFormats(registries).has(key)) {
    return depsDev({ url: registries.depsdev.url, timeoutMs: registries.timeoutMs, ecosystem });
  }
  return ecosystem.registry.create(registries);
}
