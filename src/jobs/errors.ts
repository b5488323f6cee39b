import { RateLimitError } from '../core/errors.js';

/** The queue holds as many waiting jobs as it is allowed to: the caller should try again later (429). */
export class JobQueueFullError extends RateLimitError {}

/** Thrown by a handler when retrying cannot help (bad payload, missing record): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
