// Idempotency keys of submissions (services/evaluation/idempotency.ts): a retried request with the
// same key is answered from here instead of being stored again.

declare module '../schema.js' {
  interface Database {
    idempotency_keys: IdempotencyKeyTable;
  }
}

/** One `Idempotency-Key` a caller sent with a submission, stored with the submission it made. */
export interface IdempotencyKeyTable {
  application_id: string;
  /** The caller (user or user token's owner): keys of two callers never meet. */
  username: string;
  /** The header's value as sent. */
  key: string;
  /** SHA-256 of the request (method, route, path parameters, query, body digest), hex. */
  fingerprint: string;
  /** The answer the first request got: its status code and JSON body. */
  status: number;
  response: string;
  /** The evaluation request it stored (not a foreign key: report retention may purge it). */
  request_id: string;
  created_at: string;
  /** After this time the key is forgotten (config `idempotencyKeyTtlSeconds`). */
  expires_at: string;
}
