import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { ConflictError, ValidationError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';

/**
 * Idempotent submissions. A client that sent a scan and saw a connection error cannot tell whether
 * it was stored; sending it again with the same `Idempotency-Key` header is safe: the key is stored
 * with the submission, in its transaction, and a retry gets the first answer without storing
 * anything. Keys belong to an application and a caller (two pipelines that happen to pick the same
 * key never get each other's ticket) and are forgotten after `idempotencyKeyTtlSeconds`.
 */

/** The header clients send, and the one a replayed answer carries. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** A key and the fingerprint of the request it came with. */
export interface IdempotencyKey {
  key: string;
  fingerprint: string;
}

/** The answer a submission gave: what a retry with its key gets again. */
export interface Answer {
  status: number;
  body: unknown;
}

/** What a submission stored: the request id its status URL names, and when. */
export interface Ticket {
  id: string;
  createdAt: string;
}

export interface Submitted {
  answer: Answer;
  /** True when the answer is an earlier request's, and nothing was stored. */
  replayed: boolean;
}

/** How a route wants a submission answered, and the key it came with, if any. */
export interface SubmitOptions {
  idempotency?: IdempotencyKey;
  answer(ticket: Ticket): Answer;
}

/**
 * The same key came with a different request (another body, stage or route): the submission routes
 * answer it 422 (a conflict, 409, where a route does not tell it apart).
 */
export class IdempotencyKeyReusedError extends ConflictError {}

/** Printable ASCII, 1 to 255 characters. */
const KEY = /^[\x20-\x7e]{1,255}$/;

/** What a request is made of, for its fingerprint. */
export interface RequestParts {
  method: string;
  /** The route's path pattern (`/api/v2/scan/applications/:applicationId/sources/:source`). */
  route: string;
  params: unknown;
  query: unknown;
  /** The body as text (an SBOM) or as parsed JSON. */
  body: unknown;
}

/**
 * The key of a request's `Idempotency-Key` header with its fingerprint, or undefined without one.
 * A key that is empty, longer than 255 characters or not printable ASCII is a ValidationError.
 */
export function idempotencyKeyOf(header: string | string[] | undefined, request: RequestParts): IdempotencyKey | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new ValidationError('Send one Idempotency-Key header, not several');
  if (!KEY.test(header)) {
    throw new ValidationError(
      header.length === 0 || header.length > 255
        ? `Idempotency-Key must be 1 to 255 characters (got ${header.length}); a UUID generated once per submission is a good key`
        : 'Idempotency-Key must be printable ASCII characters only (letters, digits, punctuation, spaces); a UUID generated once per submission is a good key',
    );
  }
  return { key: header, fingerprint: requestFingerprint(request) };
}

/** SHA-256 of method, route, path parameters, query and the body's own SHA-256; object keys sorted. */
export function requestFingerprint(request: RequestParts): string {
  const body = typeof request.body === 'string' ? request.body : canonicalJson(request.body ?? null);
  const bodyDigest = createHash('sha256').update(body).digest('hex');
  const parts = canonicalJson([request.method.toUpperCase(), request.route, request.params ?? {}, request.query ?? {}, bodyDigest]);
  return createHash('sha256').update(parts).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The first answer to this key, when the caller sent it to this application before and it has not
 * expired; throws IdempotencyKeyReusedError when that was another request.
 */
export async function replayedAnswer(ctx: AppContext, applicationId: string, username: string, idempotency: IdempotencyKey): Promise<Submitted | undefined> {
  const row = await ctx.store.db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status', 'response', 'created_at'])
    .where('application_id', '=', applicationId)
    .where('username', '=', username)
    .where('key', '=', idempotency.key)
    .where('expires_at', '>', ctx.now().toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.fingerprint !== idempotency.fingerprint) {
    throw new IdempotencyKeyReusedError(
      `Idempotency-Key "${idempotency.key}" was already used for another request to this application (at ${row.created_at}); ` +
        'a retry must send the same request, and a new submission needs a new key',
    );
  }
  return { answer: { status: Number(row.status), body: JSON.parse(row.response) }, replayed: true };
}

/**
 * Stores the key with the submission, inside the transaction that stores the submission. The
 * primary key (application, caller, key) refuses a second one: a concurrent request with the same
 * key fails here and its transaction stores nothing. An expired row of the same key goes first.
 */
export async function rememberKey(
  trx: Transaction<Database>,
  ctx: AppContext,
  entry: { applicationId: string; username: string; idempotency: IdempotencyKey; requestId: string; answer: Answer },
): Promise<void> {
  const now = ctx.now();
  await trx
    .deleteFrom('idempotency_keys')
    .where('application_id', '=', entry.applicationId)
    .where('username', '=', entry.username)
    .where('key', '=', entry.idempotency.key)
    .where('expires_at', '<=', now.toISOString())
    .execute();
  await trx
    .insertInto('idempotency_keys')
    .values({
      application_id: entry.applicationId,
      username: entry.username,
      key: entry.idempotency.key,
      fingerprint: entry.idempotency.fingerprint,
      status: entry.answer.status,
      response: JSON.stringify(entry.answer.body),
      request_id: entry.requestId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ctx.config.idempotencyKeyTtlSeconds * 1000).toISOString(),
    })
    .execute();
}

/** Deletes every expired key (after a keyed submission; a failure here only leaves them for the next). */
export async function purgeExpiredKeys(ctx: AppContext): Promise<number> {
  const result = await ctx.store.db.deleteFrom('idempotency_keys').where('expires_at', '<=', ctx.now().toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
