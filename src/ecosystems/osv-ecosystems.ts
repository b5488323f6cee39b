import { ValidationError } from '../core/errors.js';
import { knownFormat } from './formats.js';
import type { ComponentIdentifier, Coordinates } from './types.js';

/**
 * OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field) ⇄ reference
 * formats. The first ecosystem listed for a format is its primary one. Several Linux
 * distributions share a package format (rpm, deb, apk); their advisories still name the
 * distribution, which the purl keeps as namespace or `distro`.
 */
const ECOSYSTEMS_BY_FORMAT: Record<string, readonly string[]> = {
  maven: ['Maven'],
  npm: ['npm'],
  pypi: ['PyPI'],
  golang: ['Go'],
  cargo: ['crates.io'],
  composer: ['Packagist'],
  gem: ['RubyGems'],
  nuget: ['NuGet'],
  cran: ['CRAN'],
  swift: ['SwiftURL'],
  conan: ['ConanCenter'],
  github: ['GitHub Actions'],
  deb: ['Debian', 'Ubuntu'],
  alpine: ['Alpine', 'Wolfi', 'Chainguard', 'Alpaquita'],
  rpm: ['Red Hat', 'Rocky Linux', 'AlmaLinux', 'openSUSE', 'SUSE', 'Mageia', 'openEuler', 'Azure Linux', 'Photon OS'],
  // Formats without a module of their own: the generic fallback names them by purl type.
  hex: ['Hex'],
  pub: ['Pub'],
  hackage: ['Hackage'],
  bitnami: ['Bitnami'],
};

const FORMAT_BY_ECOSYSTEM = new Map<string, string>();
for (const [format, ecosystems] of Object.entries(ECOSYSTEMS_BY_FORMAT)) {
  for (const ecosystem of ecosystems) FORMAT_BY_ECOSYSTEM.set(ecosystem.toLowerCase(), format);
}

/**
 * The reference format for an OSV ecosystem name, case-insensitive; a release suffix is ignored
 * (`Debian:11`, `Alpine:v3.16`, `Ubuntu:22.04:LTS`). Undefined for ecosystems Tollgate cannot name.
 */
export function formatForEcosystem(ecosystem: string): string | undefined {
  const name = ecosystem.trim().toLowerCase();
  const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  return FORMAT_BY_ECOSYSTEM.get(base);
}

/** Every OSV ecosystem whose packages have this format, primary first; empty when none. */
export function ecosystemsForFormat(format: string): readonly string[] {
  const name = knownFormat(format)?.format ?? format.trim().toLowerCase();
  return ECOSYSTEMS_BY_FORMAT[name] ?? [];
}

/** The primary OSV ecosystem of a format (`golang` → `Go`), or undefined. */
export function ecosystemForFormat(format: string): string | undefined {
  return ecosystemsForFormat(format)[0];
}

/** The purl namespace (vendor) of distributions that share a package format. */
const VENDOR_BY_ECOSYSTEM: Record<string, string> = { debian: 'debian', ubuntu: 'ubuntu', wolfi: 'wolfi', chainguard: 'chainguard' };

/**
 * The component identifier of an OSV `affected[].package` (`{ecosystem: 'Maven', name:
 * 'org.yaml:snakeyaml'}`), with the version when given. OSV names packages the way each ecosystem
 * does: Maven `groupId:artifactId`, Packagist `vendor/name`, npm `@scope/name`, Go module paths.
 * A ValidationError for ecosystems Tollgate cannot name.
 */
export function identifierForOsvPackage(pkg: { ecosystem: string; name: string }, version?: string): ComponentIdentifier {
  const format = formatForEcosystem(pkg.ecosystem);
  if (!format) throw new ValidationError(`The OSV ecosystem "${pkg.ecosystem}" has no component format in Tollgate`);
  const name = pkg.name.trim();
  const coordinates: Coordinates = {};
  switch (format) {
    case 'maven': {
      const [groupId, artifactId, ...rest] = name.split(':');
      if (!groupId || !artifactId || rest.length > 0) {
        throw new ValidationError(`The Maven package name "${pkg.name}" is not groupId:artifactId`);
      }
      Object.assign(coordinates, { groupId, artifactId });
      break;
    }
    case 'composer': {
      const slash = name.indexOf('/');
      if (slash <= 0) throw new ValidationError(`The Packagist package name "${pkg.name}" is not vendor/name`);
      Object.assign(coordinates, { namespace: name.slice(0, slash), name: name.slice(slash + 1) });
      break;
    }
    case 'npm':
    case 'nuget':
      coordinates.packageId = name;
      break;
    default: {
      coordinates.name = name;
      const base = pkg.ecosystem.trim().toLowerCase().split(':')[0];
      if (VENDOR_BY_ECOSYSTEM[base]) coordinates.namespace = VENDOR_BY_ECOSYSTEM[base];
    }
  }
  if (version) coordinates.version = version;
  return { format, coordinates };
}

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
