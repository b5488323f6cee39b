import { Type } from 'typebox';

/**
 * Tollgate's `Idempotency-Key` request header on the submission routes (services/evaluation/
 * idempotency.ts). Its rules are checked by the service, which says what is wrong in plain words.
 */
export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Tollgate: a key the client generates once per submission (a UUID) and sends again when it retries; 1–255 printable ASCII characters. ' +
        'A retry with the same key and the same request gets the first answer (with `Idempotent-Replayed: true`) and stores nothing.',
    }),
  ),
});

export const IDEMPOTENCY_DESCRIPTION =
  'Tollgate: send an `Idempotency-Key` header (1–255 printable ASCII characters, e.g. a UUID generated once per submission) to make retries safe. ' +
  'A retry with the same key and the same request (method, path, query, body) by the same user on the same application gets the first answer — ' +
  'same status and body, with the `Idempotent-Replayed: true` header — and stores nothing. The same key with another request is a 422. ' +
  'Keys are kept for `idempotencyKeyTtlSeconds` (24 hours by default).';
