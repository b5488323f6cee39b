import { ValidationError } from '../core/errors.js';
import { ecosystemOf, ecosystemOfOsv } from './index.js';
import type { ComponentIdentifier, Coordinates } from './types.js';

/**
 * OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field) ⇄ reference
 * formats, as each ecosystem's descriptor names them (`osv` in ecosystems/<format>/index.ts). The
 * first ecosystem listed for a format is its primary one. Several Linux distributions share a
 * package format (rpm, deb, apk); their advisories still name the distribution, which the purl
 * keeps as namespace or `distro`.
 */

/**
 * The reference format for an OSV ecosystem name, case-insensitive; a release suffix is ignored
 * (`Debian:11`, `Alpine:v3.16`, `Ubuntu:22.04:LTS`). Undefined for ecosystems Tollgate cannot name.
 */
export function formatForEcosystem(ecosystem: string): string | undefined {
  return ecosystemOfOsv(ecosystem)?.format;
}

/** Every OSV ecosystem whose packages have this format, primary first; empty when none. */
export function ecosystemsForFormat(format: string): readonly string[] {
  return ecosystemOf(format)?.osv?.ecosystems ?? [];
}

/** The primary OSV ecosystem of a format (`golang` → `Go`), or undefined. */
export function ecosystemForFormat(format: string): string | undefined {
  return ecosystemsForFormat(format)[0];
}

/**
 * The component identifier of an OSV `affected[].package` (`{ecosystem: 'Maven', name:
 * 'org.yaml:snakeyaml'}`), with the version when given. OSV names packages the way each ecosystem
 * does: Maven `groupId:artifactId`, Packagist `vendor/name`, npm `@scope/name`, Go module paths.
 * A ValidationError for ecosystems Tollgate cannot name.
 */
export function identifierForOsvPackage(pkg: { ecosystem: string; name: string }, version?: string): ComponentIdentifier {
  const ecosystem = ecosystemOfOsv(pkg.ecosystem);
  if (!ecosystem?.osv) throw new ValidationError(`The OSV ecosystem "${pkg.ecosystem}" has no component format in Tollgate`);
  const coordinates: Coordinates = ecosystem.osv.coordinatesOf?.(pkg) ?? { name: pkg.name.trim() };
  if (version) coordinates.version = version;
  return { format: ecosystem.format, coordinates };
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
  const osv = ecosystemOf(identifier.format)?.osv;
  if (!osv?.ecosystems.length) return undefined;
  const ecosystem = osv.ecosystems[0];
  const c = identifier.coordinates;
  const name = osv.nameOf ? osv.nameOf(c) : c.name;
  if (!name) return undefined;
  return c.version ? { ecosystem, name, version: c.version } : { ecosystem, name };
}
