/** Narrowing helpers for registry JSON, which is never trusted to have the documented shape. */

import { RegistryUnavailableError } from './errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string-valued entries of an object (`{}` when it is not one). */
export function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Reads a registry document with `read`, which throws (any error) when the document does not have
 * the shape it needs: that becomes a RegistryUnavailableError naming the registry and the package.
 */
export function readDocument<T>(registry: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RegistryUnavailableError) throw err;
    throw new RegistryUnavailableError(`${registry} answered with an unexpected document for ${what}: ${(err as Error).message}`);
  }
}

/** An array of the value's records; throws (for readDocument) when it is not an array. */
export function recordsOf(value: unknown, what: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value.filter(isRecord);
}

/** A non-empty string, or undefined. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
