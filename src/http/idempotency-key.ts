import type { FastifyRequest } from 'fastify';
import { type IdempotencyKey, idempotencyKeyOf } from '../services/evaluation/idempotency.js';

/**
 * The `Idempotency-Key` of a submission with the fingerprint of what it asks (method, route, path
 * parameters, query, body), or undefined without the header. `body` stands in where the route
 * fingerprints its body as read rather than as parsed.
 */
export function idempotencyKeyOfRequest(request: FastifyRequest, body: unknown = request.body): IdempotencyKey | undefined {
  return idempotencyKeyOf(request.headers['idempotency-key'], {
    method: request.method,
    route: request.routeOptions.url ?? '',
    params: request.params,
    query: request.query,
    body,
  });
}
