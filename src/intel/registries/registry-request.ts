import type { ComponentIdentifier } from '../../ecosystems/types.js';
import { registryDescriptor } from './registries.js';
import type { RegistryEcosystem } from './types.js';

/** What to ask a registry about a component: its format (registryFor), its name there and, if known, its version. */
export interface RegistryRequest {
  format: RegistryEcosystem;
  name: string;
  version?: string;
}

/**
 * The registry request for a component identifier: npm `packageId`, Maven `groupId:artifactId`,
 * PyPI / Cargo / RubyGems `name`, NuGet `packageId`, Composer `namespace/name`, Go module `name`
 * (each descriptor's `registry.packageName`), with the version when the coordinates have one.
 * Undefined for formats no registry serves here (see REGISTRY_FORMATS) or coordinates without a
 * name. Names are as written: each adapter's normalizeName checks and normalizes them.
 */
export function registryRequestFor(identifier: ComponentIdentifier): RegistryRequest | undefined {
  const format = identifier.format.toLowerCase();
  const registry = registryDescriptor(format);
  if (!registry) return undefined;
  const name = registry.packageName(identifier.coordinates)?.trim();
  if (!name) return undefined;
  const version = identifier.coordinates.version?.trim();
  return version ? { format, name, version } : { format, name };
}
