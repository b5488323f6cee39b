import type { FastifyReply } from 'fastify';
import type { ListingAnswer } from '../services/reports/portfolio-cache.js';

/**
 * Sends a portfolio listing (services/reports/portfolio-cache.ts): its ETag, and 304 or the
 * serialized bytes as they are (no second serialization). `no-cache`: a client may keep the answer
 * but asks again each time (If-None-Match); `private`: it is the caller's own view.
 */
export function sendListing(reply: FastifyReply, answer: ListingAnswer): FastifyReply {
  reply.header('ETag', answer.etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Accept-Encoding');
  if (!answer.body) return reply.code(304).send();
  if (answer.gzip) reply.header('Content-Encoding', 'gzip');
  return reply.header('Content-Type', 'application/json; charset=utf-8').send(answer.body);
}

/** Whether the request accepts a gzip-compressed answer (Accept-Encoding, not with q=0). */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}
