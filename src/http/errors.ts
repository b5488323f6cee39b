import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  ValidationError,
} from '../core/errors.js';
import { isUniqueViolation } from '../store/unique.js';
import { UploadBudgetFullError } from './upload-budget.js';

/** The one place domain failures become HTTP statuses. */
export function statusOf(error: DomainError): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof RateLimitError) return 429;
  return 500;
}

/** Fastify's own error codes that are the client's fault, with messages a person understands. */
function describeFastifyError(error: FastifyError): { status: number; message: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: `The request body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'The request body is larger than this server accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: `Unsupported content type: ${error.message.replace(/^Unsupported Media Type:?\s*/, '')}` };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'The Content-Length header does not match the body.' };
    default:
      return undefined;
  }
}

/**
 * Errors are plain text, as the reference product answers them. Validation errors name the field.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status: number;
  let message: string;
  if (error instanceof DomainError) {
    status = statusOf(error);
    message = error.message;
    // The web UI's requests say X-Requested-With: a Basic challenge would make the browser show its
    // own password prompt over the app's login page.
    if (status === 401 && request.headers['x-requested-with'] !== 'XMLHttpRequest') reply.header('WWW-Authenticate', 'Basic realm="Tollgate"');
    if (error instanceof RateLimitError) reply.header('Retry-After', String(error.retryAfterSeconds));
  } else if (error.validation) {
    status = 400;
    const where = error.validationContext ?? 'request';
    message = error.validation
      .map((v) => {
        const field = v.instancePath ? v.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
        const missing = (v.params as { missingProperty?: string }).missingProperty;
        const name = [field, missing].filter(Boolean).join('.') || where;
        return `${where === 'body' ? '' : `${where} `}${name}: ${v.message ?? 'is invalid'}`;
      })
      .join('; ');
  } else {
    const known = describeFastifyError(error);
    if (isUniqueViolation(error)) {
      // A write the service did not wrap with its own message (store/unique.ts): still a conflict.
      status = 409;
      message = 'Another request stored the same name or id at the same moment; nothing was changed. Try again.';
    } else if (error instanceof UploadBudgetFullError) {
      status = 503;
      message = error.message;
      reply.header('Retry-After', String(error.retryAfterSeconds));
    } else if (known) {
      status = known.status;
      message = known.message;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      message = error.message;
      if (status === 429) reply.header('Retry-After', '60');
    } else {
      status = 500;
      message = `Internal error (request ${request.id}); the server log has the details.`;
      request.log.error({ err: error }, 'request failed');
    }
  }
  return reply.status(status).type('text/plain; charset=utf-8').send(message);
}
