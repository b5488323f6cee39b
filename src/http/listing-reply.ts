import type { FastifyReply } from 'fastify';
import type { ListingAnswer } from '../services/reports/portfolio-cache.js';

/**
 * Sends a portfolio listing (services/reports/portfolio-cache.ts): its ETag, and 304 or the
 * serialized bytes as they are (no second serialization). `no-cache`: a client may keep the answer
 * but asks again each time (If-None-Match); `private`: it is the caller's own view.
 */
export function sendListing(reply: FastifyReply, answer: ListingAnswer): FastifyReply {
  reply.header('ETag', answer.etag).header('Cache-Control', 'private, no-cache');
  if (!answer.body) return reply.code(304).send();
  return reply.header('Content-Type', 'application/json; charset=utf-8').send(answer.body);
}
