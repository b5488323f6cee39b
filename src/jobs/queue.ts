import type { Selectable } from 'kysely';
import type { AppContext } from '../core/context.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { sortableId } from '../core/ids.js';
import type { JobTable } from '../store/tables/jobs.js';
import { JobQueueFullError } from './errors.js';
import type { Job, JobOwner, JobProgress, JobStatus } from './types.js';

/**
 * The jobs table as a queue. Every state change that a worker makes is a conditional UPDATE that
 * names the state it expects (and, while running, the lease owner), and the row count says whether
 * it won: that is atomic on SQLite and PostgreSQL alike, so no two workers ever hold one job.
 */

type Ctx = Pick<AppContext, 'store' | 'config' | 'now'>;
type JobRow = Selectable<JobTable>;

export interface SubmitOptions<P> {
  type: string;
  payload: P;
  /** Default: a system job (`global`). */
  owner?: JobOwner;
  /** Default: config `jobs.maxAttempts`. */
  maxAttempts?: number;
  /** Not before this time (default: now). */
  runAfter?: Date;
  /**
   * Not refused when the queue is full: for jobs the system queues inside another change's
   * transaction (webhook deliveries), where refusing would undo the change. Callers keep such jobs
   * bounded themselves (one waiting job per webhook).
   */
  unbounded?: boolean;
}

const iso = (d: Date) => d.toISOString();
const later = (ctx: Pick<AppContext, 'now'>, ms: number) => iso(new Date(ctx.now().getTime() + ms));
const changed = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) > 0;

function parseJson(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

function toJob<P = unknown, R = unknown>(row: JobRow): Job<P, R> {
  const owner: JobOwner =
    row.owner_type === 'global' ? { type: 'global' } : { type: row.owner_type as 'organization' | 'application', id: row.owner_id };
  return {
    id: row.id,
    type: row.type,
    status: row.status as JobStatus,
    owner,
    payload: JSON.parse(row.payload) as P,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: parseJson(row.progress) as JobProgress | undefined,
    result: parseJson(row.result) as R | undefined,
    error: row.error ?? undefined,
    createdAt: row.created_at,
    runAfter: row.run_after,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
  };
}

const queuedListeners = new Set<() => void>();

/** Calls `listener` whenever this process announces a newly queued job; returns the unsubscribe. */
export function onJobQueued(listener: () => void): () => void {
  queuedListeners.add(listener);
  return () => queuedListeners.delete(listener);
}

/**
 * Tells the worker pools of this process that a job is waiting, so it starts now rather than at
 * the next poll. Call it after the transaction that queued the job has committed (before that, a
 * worker could not see the row). Pools on other nodes still find it by polling.
 */
export function announceJobQueued(): void {
  for (const listener of queuedListeners) listener();
}

/**
 * Queues a job. Refuses with JobQueueFullError (429, "try later") once `jobs.maxQueued` jobs wait:
 * a burst of submissions queues up to that bound instead of growing without limit. The count and
 * the insert are not one statement, so concurrent submitters may overshoot the bound by a few.
 */
export async function submitJob<P>(ctx: Ctx, options: SubmitOptions<P>): Promise<Job<P>> {
  if (!/^[\w.-]{1,100}$/.test(options.type)) throw new ValidationError(`Invalid job type ${JSON.stringify(options.type)}.`);
  const maxAttempts = options.maxAttempts ?? ctx.config.jobs.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ValidationError('maxAttempts must be a positive integer.');
  if (!options.unbounded) {
    const waiting = await ctx.store.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    const limit = ctx.config.jobs.maxQueued;
    if (Number(waiting.n) >= limit) {
      throw new JobQueueFullError(`The server is busy: ${limit} jobs are already waiting to run. Try again later.`);
    }
  }
  const owner = options.owner ?? { type: 'global' };
  const now = iso(ctx.now());
  const row: JobRow = {
    id: sortableId(now),
    type: options.type,
    payload: JSON.stringify(options.payload ?? null),
    status: 'queued',
    owner_type: owner.type,
    owner_id: owner.type === 'global' ? 'global' : owner.id,
    attempts: 0,
    max_attempts: maxAttempts,
    progress: null,
    result: null,
    error: null,
    created_at: now,
    run_after: options.runAfter ? iso(options.runAfter) : now,
    started_at: null,
    finished_at: null,
    lease_owner: null,
    lease_expires_at: null,
  };
  await ctx.store.db.insertInto('jobs').values(row).execute();
  return toJob<P>(row);
}

export async function getJob<P = unknown, R = unknown>(ctx: Pick<AppContext, 'store'>, id: string): Promise<Job<P, R>> {
  const row = await ctx.store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Job ${id} not found.`);
  return toJob<P, R>(row);
}

export interface ClaimedJob {
  id: string;
  type: string;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
}

/**
 * Claims up to `limit` due jobs of the given types for `worker`. Candidates are read first, then
 * each is taken with an UPDATE that only succeeds while the job is still queued; a job another
 * worker took in between is simply skipped.
 */
export async function claimJobs(ctx: Ctx, worker: string, types: string[], limit: number, leaseMs: number): Promise<{ claimed: ClaimedJob[]; lost: number }> {
  if (limit <= 0 || types.length === 0) return { claimed: [], lost: 0 };
  const now = iso(ctx.now());
  const candidates = await ctx.store.db
    .selectFrom('jobs')
    .select(['id', 'type', 'payload', 'attempts', 'max_attempts'])
    .where('status', '=', 'queued')
    .where('run_after', '<=', now)
    .where('type', 'in', types)
    .orderBy('run_after')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: ClaimedJob[] = [];
  let lost = 0;
  for (const c of candidates) {
    const result = await ctx.store.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        started_at: now,
        finished_at: null,
        lease_owner: worker,
        lease_expires_at: later(ctx, leaseMs),
      }))
      .where('id', '=', c.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (changed(result)) {
      claimed.push({ id: c.id, type: c.type, payload: JSON.parse(c.payload), attempt: c.attempts + 1, maxAttempts: c.max_attempts });
    } else {
      lost++;
    }
  }
  return { claimed, lost };
}

/** Extends the worker's lease; false when the job is no longer its own (it was taken over). */
export async function renewLease(ctx: Ctx, id: string, worker: string, leaseMs: number): Promise<boolean> {
  const result = await ctx.store.db
    .updateTable('jobs')
    .set({ lease_expires_at: later(ctx, leaseMs) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return changed(result);
}

export async function storeProgress(ctx: Ctx, id: string, worker: string, progress: JobProgress): Promise<boolean> {
  const result = await ctx.store.db
    .updateTable('jobs')
    .set({ progress: JSON.stringify(progress) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return changed(result);
}

export async function completeJob(ctx: Ctx, id: string, worker: string, result: unknown): Promise<boolean> {
  const updated = await ctx.store.db
    .updateTable('jobs')
    .set({
      status: 'succeeded',
      result: JSON.stringify(result ?? null),
      error: null,
      finished_at: iso(ctx.now()),
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return changed(updated);
}

/**
 * Records a failed attempt: queued again after `retryDelayMs` while attempts remain (and the error
 * is not permanent), else failed for good. The error message is kept either way.
 */
export async function failAttempt(
  ctx: Ctx,
  job: ClaimedJob,
  worker: string,
  error: string,
  options: { permanent: boolean; retryDelayMs: number },
): Promise<JobStatus | undefined> {
  const retry = !options.permanent && job.attempt < job.maxAttempts;
  const message = retry ? error : job.attempt > 1 && !options.permanent ? `${error} (failed ${job.attempt} attempts)` : error;
  const updated = await ctx.store.db
    .updateTable('jobs')
    .set({
      status: retry ? 'queued' : 'failed',
      error: message,
      run_after: retry ? later(ctx, options.retryDelayMs) : undefined,
      finished_at: retry ? null : iso(ctx.now()),
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return changed(updated) ? (retry ? 'queued' : 'failed') : undefined;
}

/** Puts a job the worker could not finish (shutdown) back in the queue; the attempt does not count. */
export async function releaseJob(ctx: Ctx, id: string, worker: string): Promise<boolean> {
  const result = await ctx.store.db
    .updateTable('jobs')
    .set((eb) => ({ status: 'queued', attempts: eb('attempts', '-', 1), started_at: null, lease_owner: null, lease_expires_at: null }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return changed(result);
}

/**
 * Jobs whose worker died (its lease ran out unrenewed): run again while attempts remain, else
 * failed with an error that says so. Safe to run from several workers at once.
 */
export async function recoverExpiredLeases(ctx: Ctx): Promise<{ requeued: number; failed: number }> {
  const now = iso(ctx.now());
  const expired = await ctx.store.db
    .selectFrom('jobs')
    .select(['id', 'attempts', 'max_attempts', 'lease_owner', 'lease_expires_at'])
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', now)
    .execute();
  let requeued = 0;
  let failed = 0;
  for (const job of expired) {
    const retry = job.attempts < job.max_attempts;
    const result = await ctx.store.db
      .updateTable('jobs')
      .set({
        status: retry ? 'queued' : 'failed',
        error: retry
          ? `Attempt ${job.attempts} was interrupted: its worker stopped before finishing (lease expired); the job runs again.`
          : `The worker running this job stopped before finishing (lease expired) and all ${job.max_attempts} attempts are used up.`,
        run_after: retry ? now : undefined,
        finished_at: retry ? null : now,
        lease_owner: null,
        lease_expires_at: null,
      })
      // Only if nobody renewed or recovered it since it was read.
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('lease_expires_at', '=', job.lease_expires_at)
      .executeTakeFirst();
    if (changed(result)) retry ? requeued++ : failed++;
  }
  return { requeued, failed };
}
