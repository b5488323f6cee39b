import { ValidationError } from '../core/errors.js';

/** An SBOM or lockfile that cannot be read: the message says what and where. */
export class SbomError extends ValidationError {}
