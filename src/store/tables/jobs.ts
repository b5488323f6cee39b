// The durable work queue (src/jobs/): evaluations, imports, webhook deliveries.

declare module '../schema.js' {
  interface Database {
    jobs: JobTable;
  }
}

export interface JobTable {
  id: string;
  /** The handler that runs it, e.g. `evaluation`. */
  type: string;
  /** JSON given to the handler. */
  payload: string;
  /** queued | running | succeeded | failed */
  status: string;
  /** Whose job it is, for who may see it: `global` (a system job), `organization` or `application`. */
  owner_type: string;
  /** The owner's internal id; `global` for system jobs. */
  owner_id: string;
  /** Runs started so far (claims), including the one running now. */
  attempts: number;
  max_attempts: number;
  /** JSON `{done, total, message}` as the handler last reported it. */
  progress: string | null;
  /** JSON the handler returned, once succeeded. */
  result: string | null;
  /** Why the last attempt failed (kept when a retry is queued). */
  error: string | null;
  created_at: string;
  /** Not claimed before this time (retries back off). */
  run_after: string;
  started_at: string | null;
  finished_at: string | null;
  /** The worker that holds the job while it runs, and until when; an expired lease means it died. */
  lease_owner: string | null;
  lease_expires_at: string | null;
}
