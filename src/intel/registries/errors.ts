import { DomainError, NotFoundError } from '../../core/errors.js';

/** The registry has no package by that name (it answered 404). */
export class RegistryNotFoundError extends NotFoundError {}

/** The registry could not be asked or did not answer usefully (timeout, 5xx, malformed answer). */
export class RegistryUnavailableError extends DomainError {}

/** Offline mode is on and the answer is not in the cache. */
export class RegistryOfflineError extends RegistryUnavailableError {}

/**
 * The registry's host cannot be reached (connection refused, no such host, time-out, 5xx): its
 * circuit is open (circuit-breaker.ts) from `since`, and it is not asked before `until`.
 */
export class RegistryUnreachableError extends RegistryUnavailableError {
  readonly origin: string;
  readonly since: Date;
  readonly until: Date;
  constructor(message: string, down: { origin: string; since: Date; until: Date }) {
    super(message);
    this.origin = down.origin;
    this.since = down.since;
    this.until = down.until;
  }
}
