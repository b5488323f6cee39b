// Periodic work shared by every node on the database (src/jobs/scheduler.ts): one row a schedule.

declare module '../schema.js' {
  interface Database {
    schedules: ScheduleTable;
  }
}

export interface ScheduleTable {
  /** The work, e.g. `vulndb.sync`. */
  name: string;
  /** How long after a run ends the next one is due (from the configuration, written by each node). */
  interval_seconds: number;
  /** Due at this time: the node whose conditional UPDATE moves it on first queues the run. */
  next_run_at: string;
  last_claimed_at: string | null;
  /** The job pool worker (host:pid:…) that queued the last run. */
  last_claimed_by: string | null;
  /** The job that runs (or ran) it: no run is queued while it is still queued or running. */
  last_job_id: string | null;
  last_finished_at: string | null;
  /** succeeded | failed */
  last_outcome: string | null;
}
