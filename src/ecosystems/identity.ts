import { ValidationError } from '../core/errors.js';
import { identityForFormat, identityForPurlType } from './formats.js';
import { componentHash, parseComponentHash } from './hash.js';
import { formatPurl, normalizeParts, parsePurl } from './purl.js';
import type { ComponentIdentifier, Coordinates, FormatIdentity } from './types.js';

/**
 * Component identity, the one entry point: the reference's `{format, coordinates}` ⇄ package URL,
 * display names, hashes and OSV ecosystem names. Each format's rules live in
 * ecosystems/<format>/identity.ts; unknown formats and purl types use the generic fallback.
 */

export { componentHash, isComponentHash, parseComponentHash } from './hash.js';
export { ecosystemForFormat, ecosystemsForFormat, formatForEcosystem, identifierForOsvPackage, type OsvPackage, osvPackageOf } from './osv-ecosystems.js';
export { parsePurl } from './purl.js';
export type { ComponentIdentifier, Coordinates, FormatIdentity, PurlParts } from './types.js';

const FORMAT_NAME = /^[a-z][a-z0-9.+-]*$/;

/** The package URL of a component identifier, canonical (normalized, qualifiers sorted). */
export function toPackageUrl(identifier: ComponentIdentifier): string {
  const { format, coordinates } = checkIdentifier(identifier);
  return formatPurl(format.toPurl(coordinates));
}

/** The component identifier of a package URL; a ValidationError when the purl is malformed. */
export function fromPackageUrl(packageUrl: string): ComponentIdentifier {
  const parts = parsePurl(packageUrl);
  const format = identityForPurlType(parts.type);
  return { format: format.format, coordinates: format.fromPurl(parts) };
}

/**
 * The identifier in canonical form: format name canonical (`debian` → `deb`), coordinates trimmed,
 * normalized as the format's purl type requires (pypi `Django_Foo` → `django-foo`), defaults
 * filled in (maven extension `jar`), keys sorted. Two identifiers name the same component exactly
 * when their normalized forms are equal.
 */
export function normalizeIdentifier(identifier: ComponentIdentifier): ComponentIdentifier {
  const { format, coordinates } = checkIdentifier(identifier);
  return { format: format.format, coordinates: format.fromPurl(normalizeParts(format.toPurl(coordinates))) };
}

/** A package URL in canonical form, i.e. as `toPackageUrl` writes the component it names. */
export function canonicalPackageUrl(packageUrl: string): string {
  return toPackageUrl(fromPackageUrl(packageUrl));
}

/** The label IQ shows for a component (`ch.qos.logback : logback-core : 1.3.14`); see each format. */
export function displayName(identifier: ComponentIdentifier): string {
  const { format, coordinates } = checkIdentifier(identifier);
  return format.displayName(coordinates);
}

/**
 * A stand-in hash for a component known only by coordinates (an SBOM entry, a lockfile line):
 * the component hash of its canonical package URL. Stable across spellings of the same component,
 * never equal to a real file's hash in practice.
 */
export function coordinateHash(identifier: ComponentIdentifier): string {
  return componentHash(toPackageUrl(identifier));
}

/** How clients name a component: by hash, by identifier, by package URL, or several of these. */
export interface ComponentReference {
  hash?: string | null;
  componentIdentifier?: ComponentIdentifier | null;
  packageUrl?: string | null;
}

/** A component reference checked and made canonical; absent parts are null (hash-only is allowed). */
export interface ResolvedComponent {
  hash: string | null;
  componentIdentifier: ComponentIdentifier | null;
  packageUrl: string | null;
}

/**
 * Checks a component reference: at least one of hash, componentIdentifier and packageUrl; a
 * well-formed hash; an identifier and a purl that, when both are given, name the same component.
 * Fills in whichever of identifier and purl is missing from the other.
 */
export function resolveComponent(reference: ComponentReference): ResolvedComponent {
  const hash = present(reference.hash) ? parseComponentHash(reference.hash) : null;
  const fromIdentifier = reference.componentIdentifier != null ? normalizeIdentifier(reference.componentIdentifier) : null;
  const fromUrl = present(reference.packageUrl) ? normalizeIdentifier(fromPackageUrl(reference.packageUrl)) : null;
  if (hash === null && fromIdentifier === null && fromUrl === null) {
    throw new ValidationError('A component needs a hash, a componentIdentifier or a packageUrl');
  }
  const identifier = fromIdentifier ?? fromUrl;
  const packageUrl = identifier ? toPackageUrl(identifier) : null;
  if (fromIdentifier && fromUrl && toPackageUrl(fromUrl) !== packageUrl) {
    throw new ValidationError(
      `The componentIdentifier (${packageUrl}) and the packageUrl (${reference.packageUrl}) name different components`,
    );
  }
  return { hash, componentIdentifier: identifier, packageUrl };
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The format module and string coordinates of an identifier, or a ValidationError saying what is wrong. */
function checkIdentifier(identifier: ComponentIdentifier): { format: FormatIdentity; coordinates: Coordinates } {
  if (identifier === null || typeof identifier !== 'object') {
    throw new ValidationError('A component identifier must be an object with "format" and "coordinates"');
  }
  const formatName = typeof identifier.format === 'string' ? identifier.format.trim().toLowerCase() : '';
  if (formatName === '') throw new ValidationError('A component identifier needs a format, e.g. "maven" or "npm"');
  if (!FORMAT_NAME.test(formatName)) throw new ValidationError(`"${identifier.format}" is not a component format`);
  const raw = identifier.coordinates;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(`A component identifier of format ${formatName} needs its coordinates as an object`);
  }
  const format = identityForFormat(formatName);
  const coordinates: Coordinates = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!format.openCoordinates && !format.coordinateKeys.includes(key)) {
      throw new ValidationError(
        `"${key}" is not a ${format.format} coordinate; ${format.format} takes ${format.coordinateKeys.join(', ')}`,
      );
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw new ValidationError(`The ${format.format} coordinate "${key}" must be a string`);
    coordinates[key] = value;
  }
  return { format, coordinates };
}
