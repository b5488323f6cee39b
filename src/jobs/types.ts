import type { AppContext } from '../core/context.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * Whose job it is: who may see it follows from this. `global` jobs are the system's own (imports,
 * maintenance) and need CONFIGURE_SYSTEM; an organization's or application's need READ on it.
 */
export type JobOwner = { type: 'global' } | { type: 'organization'; id: string } | { type: 'application'; id: string };

/** What a handler reports while it runs. */
export interface JobProgress {
  done: number;
  total?: number;
  message?: string;
}

/** A job as callers see it. */
export interface Job<P = unknown, R = unknown> {
  id: string;
  type: string;
  status: JobStatus;
  owner: JobOwner;
  payload: P;
  attempts: number;
  maxAttempts: number;
  progress?: JobProgress;
  result?: R;
  error?: string;
  createdAt: string;
  runAfter: string;
  startedAt?: string;
  finishedAt?: string;
}

/** What a handler receives besides the payload. */
export interface RunningJob {
  id: string;
  type: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  maxAttempts: number;
  ctx: AppContext;
  /** Aborted when the worker loses the job (lease taken over) or shutdown gives up waiting. */
  signal: AbortSignal;
  /** Stores progress on the job, where GET /api/v2/jobs/{jobId} shows it. */
  progress(progress: JobProgress): Promise<void>;
}

/** Code that runs jobs of one type. What it returns (JSON) becomes the job's result. */
export interface JobHandler<P = unknown, R = unknown> {
  type: string;
  /**
   * Jobs of this type run in a lane of their own, this many at once, beside the pool's shared
   * slots: long background work (registry fetches) then never holds a slot an evaluation waits for.
   * Unset: the shared slots (`jobs.concurrency`).
   */
  concurrency?: number;
  run(payload: P, job: RunningJob): Promise<R>;
}
