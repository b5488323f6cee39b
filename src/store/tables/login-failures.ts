// Failed sign-ins counted per name and per client address (src/http/login-throttle.ts), shared by
// every node on the database.

declare module '../schema.js' {
  interface Database {
    login_failures: LoginFailureTable;
  }
}

export interface LoginFailureTable {
  /** `user` (the name given) or `address` (the client's). */
  kind: string;
  key: string;
  /** The first failure of the window counted. */
  window_start: string;
  count: number;
  /** Set by the failure that reached the limit: refused until then. */
  blocked_until: string | null;
  /** When the row means nothing any more (the window's end, or the refusal's): purged after. */
  expires_at: string;
}
