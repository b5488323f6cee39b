import { DomainError, NotFoundError } from '../../services/errors.js';

/** The registry has no package by that name (it answered 404). */
export class RegistryNotFoundError extends NotFoundError {}

/** The registry could not be asked or did not answer usefully (timeout, 5xx, malformed answer). */
export class RegistryUnavailableError extends DomainError {}

/** Offline mode is on and the answer is not in the cache. */
export class RegistryOfflineError extends RegistryUnavailableError {}
