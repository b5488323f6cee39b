/**
 * Domain failures. Services throw these; http/errors.ts maps each to its status in one place.
 * Messages are shown to people as they are: say what was wrong and, where it helps, what to do.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** Input that is malformed or breaks a rule (400). */
export class ValidationError extends DomainError {}
/** The thing named does not exist (404). */
export class NotFoundError extends DomainError {}
/** The change conflicts with what is stored, e.g. a duplicate name (409). */
export class ConflictError extends DomainError {}
/** Authenticated, but lacks the permission the operation needs (403). */
export class ForbiddenError extends DomainError {}
/** No or wrong credentials (401). */
export class UnauthorizedError extends DomainError {}
/** Too many requests (429); answered with `Retry-After: retryAfterSeconds`. */
export class RateLimitError extends DomainError {
  constructor(
    message: string,
    /** Whole seconds until a retry can succeed (at least 1). */
    readonly retryAfterSeconds = 60,
  ) {
    super(message);
  }
}
