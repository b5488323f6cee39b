import { ValidationError } from '../core/errors.js';
import type { Coordinates } from './types.js';

/** A coordinate's value, trimmed; undefined when absent or blank. */
export function optional(coordinates: Coordinates, key: string): string | undefined {
  const value = coordinates[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A coordinate's value, trimmed; a ValidationError naming the format and key when absent. */
export function required(format: string, coordinates: Coordinates, key: string): string {
  const value = optional(coordinates, key);
  if (value === undefined) {
    throw new ValidationError(`A component identifier of format ${format} needs the coordinate "${key}"`);
  }
  return value;
}

/**
 * Builds coordinates from possibly-absent values: absent ones are left out, keys are sorted
 * (IQ lists coordinates alphabetically: artifactId, classifier, extension, groupId, version).
 */
export function coordinatesOf(entries: Record<string, string | undefined>): Coordinates {
  const result: Coordinates = {};
  for (const key of Object.keys(entries).sort()) {
    const value = entries[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** Qualifiers without absent or blank values; undefined when none are left. */
export function qualifiersOf(entries: Record<string, string | undefined>): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && value !== '') result[key] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A qualifier's value from parsed purl parts; undefined when absent or blank. */
export function qualifier(qualifiers: Record<string, string> | undefined, key: string): string | undefined {
  const value = qualifiers?.[key];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The display name most formats share, modelled on IQ's PyPI labels
 * (`django_make_app (py2.py3-none-any) 0.1.3 (.whl)`, `github.com/Masterminds/vcs v1.13.1`):
 * name, a detail in parentheses, the version, then the file extension in parentheses.
 */
export function label(name: string, version?: string, detail?: string, extension?: string): string {
  let text = name;
  if (detail) text += ` (${detail})`;
  if (version) text += ` ${version}`;
  if (extension) text += ` (.${extension})`;
  return text;
}

/** Splits a path-like name at its last slash: `github.com/rs/cors` → [`github.com/rs`, `cors`]. */
export function splitPath(path: string): { namespace?: string; name: string } {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return { name: path };
  return { namespace: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** Joins a purl namespace and name back into one path. */
export function joinPath(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
