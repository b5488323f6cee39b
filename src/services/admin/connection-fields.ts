import { ValidationError } from '../../core/errors.js';

/**
 * Checks shared by the configurations of servers Tollgate connects to (SMTP, HTTP proxy, Jira):
 * host, port, optional text, and the reference's rule for a stored password.
 */

/** A DNS name or an IPv4/IPv6 address, without scheme or port. */
const HOSTNAME = /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?)*\.?)$/;

export function checkHostname(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new ValidationError(`${field} is required: the host name or IP address of the server`);
  const host = value.trim();
  if (!HOSTNAME.test(host) || host.length > 253) {
    throw new ValidationError(`${field} must be a host name or IP address such as smtp.example.com (no scheme, no port), got ${JSON.stringify(value)}`);
  }
  return host;
}

export function checkPort(value: unknown): number {
  if (value === undefined || value === null) throw new ValidationError('port is required: a number from 1 to 65535');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ValidationError(`port must be a number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`);
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new ValidationError(`${field} must be true or false`);
  return value;
}

/**
 * The password to store, by the reference's rule: with `passwordIsIncluded: true` (or a password
 * and no flag) the one given (none when null or absent); otherwise the stored one, but only while the server it was meant for is
 * unchanged — a stored password is never sent to another server than the one it was given for.
 */
export function keptPassword(
  input: { password?: unknown; passwordIsIncluded?: unknown },
  previous: { password?: string } | undefined,
  sameServer: boolean,
  serverFields: string,
): string | undefined {
  const given = input.password !== undefined && input.password !== null && input.password !== '';
  // A client that sends a password without the flag means it (Jira's configuration has no flag at all).
  const included = input.passwordIsIncluded === undefined ? given : checkBoolean(input.passwordIsIncluded, 'passwordIsIncluded');
  if (included) return optionalString(input.password, 'password');
  if (given) throw new ValidationError('password is given but passwordIsIncluded is false: set passwordIsIncluded to true to change the password');
  if (!previous?.password) return undefined;
  if (!sameServer) {
    throw new ValidationError(`The ${serverFields} changed: give the password again (or passwordIsIncluded: true and no password for none), so that the stored one never goes to another server`);
  }
  return previous.password;
}

/**
 * The reference's PUTs take "one or more values": a field the input leaves out keeps its stored
 * value (null removes an optional one).
 */
export function withStored<T extends object>(input: T, previous: object | undefined): T {
  const out: Record<string, unknown> = { ...(previous ?? {}) };
  delete out.password;
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** An address as a mail server takes it in an envelope: local part @ domain, no spaces or brackets. */
const EMAIL = /^[^\s@<>(),;:"[\]]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export function checkEmail(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new ValidationError(`${field} is required: an e-mail address such as tollgate@example.com`);
  const address = value.trim();
  if (address.length > 254 || !EMAIL.test(address)) throw new ValidationError(`${field} must be an e-mail address such as tollgate@example.com, got ${JSON.stringify(value)}`);
  return address;
}
