import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.js';

/**
 * Component hashes as IQ uses them: the SHA-1 of the component's file, truncated to its first 20
 * lowercase hexadecimal characters (`4632184fe1d932764efe`). A component may be known by its hash
 * alone, with no coordinates.
 */
export const COMPONENT_HASH_LENGTH = 20;

const HASH = /^[0-9a-f]{20}$/;
const ACCEPTED = /^(?:[0-9a-fA-F]{20}|[0-9a-fA-F]{40})$/;

/** The component hash of a file's content. */
export function componentHash(content: string | Uint8Array): string {
  return createHash('sha1').update(content).digest('hex').slice(0, COMPONENT_HASH_LENGTH);
}

/** Whether a value is a component hash exactly as IQ writes it: 20 lowercase hex characters. */
export function isComponentHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

/**
 * A client-supplied hash in canonical form: accepts the 20-character component hash or a full
 * 40-character SHA-1 in either case, and returns the 20 lowercase characters IQ compares.
 */
export function parseComponentHash(value: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!ACCEPTED.test(trimmed)) {
    throw new ValidationError(
      `"${String(value)}" is not a component hash: expected the first 20 hexadecimal characters of the component's SHA-1`,
    );
  }
  return trimmed.slice(0, COMPONENT_HASH_LENGTH).toLowerCase();
}
