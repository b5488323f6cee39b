// Identity additions to the foundation's tables.

declare module './foundation.js' {
  interface UserTokenTable {
    /** when the token last authenticated a request (updated at most once per credential-cache period) */
    last_access_at: string | null;
  }
}

export {};
