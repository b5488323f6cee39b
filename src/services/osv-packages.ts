import { type ComponentIdentifier, ecosystemForFormat } from '../ecosystems/identity.js';

/** A package as OSV records name it: `{ecosystem: 'PyPI', name: 'requests'}`, with the component's version. */
export interface OsvPackage {
  ecosystem: string;
  name: string;
  version?: string;
}

/**
 * The OSV package of a component identifier, the inverse of identifierForOsvPackage: Maven
 * `groupId:artifactId`, Packagist `vendor/name`, npm and NuGet package ids, the name elsewhere.
 * Undefined for formats OSV has no ecosystem for, and for distribution packages (deb, alpine,
 * rpm), whose advisories name the release (`Debian:12`), which a component identifier lacks.
 */
export function osvPackageOf(identifier: ComponentIdentifier | null | undefined): OsvPackage | undefined {
  if (!identifier) return undefined;
  const ecosystem = ecosystemForFormat(identifier.format);
  if (!ecosystem) return undefined;
  const c = identifier.coordinates;
  let name: string | undefined;
  switch (identifier.format) {
    case 'maven':
      name = c.groupId && c.artifactId ? `${c.groupId}:${c.artifactId}` : undefined;
      break;
    case 'composer':
      name = c.namespace && c.name ? `${c.namespace}/${c.name}` : undefined;
      break;
    case 'npm':
    case 'nuget':
      name = c.packageId;
      break;
    case 'deb':
    case 'alpine':
    case 'rpm':
      return undefined;
    default:
      name = c.name;
  }
  if (!name) return undefined;
  return c.version ? { ecosystem, name, version: c.version } : { ecosystem, name };
}
