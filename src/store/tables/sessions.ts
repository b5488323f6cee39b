// Web UI sessions (services/access/sessions.ts): a signed-in browser's cookie names one row.

declare module '../schema.js' {
  interface Database {
    sessions: SessionTable;
  }
}

/** One signed-in browser. */
export interface SessionTable {
  /** SHA-256 (hex) of the session cookie's value: the value itself is never stored. */
  id_hash: string;
  username: string;
  /** The value the X-CSRF-TOKEN header (and the CLM-CSRF-TOKEN cookie) must carry on changes. */
  csrf_token: string;
  /** Where the sign-in came from, for the record. */
  remote_address: string | null;
  created_at: string;
  /** The last request the session authenticated (updated at most once a minute). */
  last_seen_at: string;
  /** Sliding: moved on by `sessions.timeoutMinutes` as the session is used. */
  expires_at: string;
}
