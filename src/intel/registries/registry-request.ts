import type { ComponentIdentifier } from '../../ecosystems/types.js';
import type { RegistryEcosystem } from './types.js';

/** What to ask a registry about a component: its format (registryFor), its name there and, if known, its version. */
export interface RegistryRequest {
  format: RegistryEcosystem;
  name: string;
  version?: string;
}

/** How each registry names a package, from the component's coordinates (ecosystems/<format>/identity.ts). */
const NAMES: Record<RegistryEcosystem, (c: Record<string, string>) => string | undefined> = {
  npm: (c) => c.packageId,
  maven: (c) => (c.groupId && c.artifactId ? `${c.groupId}:${c.artifactId}` : undefined),
  pypi: (c) => c.name,
  cargo: (c) => c.name,
  gem: (c) => c.name,
  nuget: (c) => c.packageId,
  composer: (c) => (c.namespace && c.name ? `${c.namespace}/${c.name}` : undefined),
  golang: (c) => c.name,
};

/**
 * The registry request for a component identifier: npm `packageId`, Maven `groupId:artifactId`,
 * PyPI / Cargo / RubyGems `name`, NuGet `packageId`, Composer `namespace/name`, Go module `name`,
 * with the version when the coordinates have one. Undefined for formats no registry serves here
 * (see REGISTRY_FORMATS) or coordinates without a name. Names are as written: each adapter's
 * normalizeName checks and normalizes them.
 */
export function registryRequestFor(identifier: ComponentIdentifier): RegistryRequest | undefined {
  const format = identifier.format.toLowerCase();
  if (!Object.hasOwn(NAMES, format)) return undefined;
  const name = NAMES[format as RegistryEcosystem](identifier.coordinates)?.trim();
  if (!name) return undefined;
  const version = identifier.coordinates.version?.trim();
  return version ? { format: format as RegistryEcosystem, name, version } : { format: format as RegistryEcosystem, name };
}
