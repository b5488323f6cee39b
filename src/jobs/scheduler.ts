import type { AppContext } from '../core/context.js';
import { announceJobQueued, submitJob } from './queue.js';

/**
 * Periodic work (data syncs) shared by every node on one database. Each schedule is a row in
 * `schedules` with the time its next run is due. Every node ticks (at start, then every
 * `schedules.tickSeconds`); a tick takes a due schedule with a conditional UPDATE that moves
 * `next_run_at` on, and queues the run as a durable job in the same transaction: the one node whose
 * UPDATE changed the row queues it, so a run is queued once however many nodes tick, and the job
 * pool runs it once (leases; a node that dies mid-run hands it over when its lease expires). When
 * the run ends, the next is due one interval later, so runs never overlap, as with a timer.
 */

/** The job type that runs scheduled work; its payload names the schedule. */
export const SCHEDULED_JOB = 'schedule';

export interface ScheduledJobPayload {
  schedule: string;
}

/** One kind of periodic work. */
export interface ScheduledWork {
  name: string;
  /** Hours between runs from the configuration; 0: off. */
  intervalHours(config: AppContext['config']): number;
  /** The line logged at start when it is on (e.g. `vulnerability data sync every 12 h from …`). */
  describe(ctx: AppContext): string;
  /** One run: logs its own outcome and failures and does not throw (a throw counts as failed). */
  run(ctx: AppContext): Promise<void>;
}

export interface ScheduleState {
  name: string;
  intervalSeconds: number;
  nextRunAt: string;
  lastClaimedAt?: string;
  lastClaimedBy?: string;
  lastJobId?: string;
  lastFinishedAt?: string;
  lastOutcome?: string;
}

type Ctx = Pick<AppContext, 'store' | 'config' | 'now' | 'log'>;
const iso = (d: Date) => d.toISOString();
const plus = (at: Date, ms: number) => iso(new Date(at.getTime() + ms));

/**
 * Makes sure the schedule's row exists: a new one is first due `firstRunDelayMs` from now (start-up
 * is not slowed by a download). An interval changed in the configuration is written, and the next
 * run moved no later than one new interval from now.
 */
export async function registerSchedule(ctx: Ctx, name: string, intervalSeconds: number, firstRunDelayMs: number): Promise<void> {
  const now = ctx.now();
  await ctx.store.db
    .insertInto('schedules')
    .values({ name, interval_seconds: intervalSeconds, next_run_at: plus(now, firstRunDelayMs) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await ctx.store.db.selectFrom('schedules').select(['interval_seconds', 'next_run_at']).where('name', '=', name).executeTakeFirstOrThrow();
  if (row.interval_seconds !== intervalSeconds) {
    const sooner = plus(now, intervalSeconds * 1000);
    // ISO timestamps compare as strings (Math.min would not take them).
    const nextRunAt = [row.next_run_at, sooner].sort()[0];
    await ctx.store.db
      .updateTable('schedules')
      .set({ interval_seconds: intervalSeconds, next_run_at: nextRunAt })
      .where('name', '=', name)
      .execute();
  }
}

/**
 * Queues a run of the schedule if it is due, its last run is over and no other node took it first;
 * returns the job's id, or undefined. Safe to call from any number of nodes at once.
 */
export async function claimDueSchedule(ctx: Ctx, name: string, node: string): Promise<string | undefined> {
  const now = ctx.now();
  const row = await ctx.store.db.selectFrom('schedules').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row || row.next_run_at > iso(now)) return undefined;
  if (row.last_job_id) {
    // The last run is still waiting or running (on any node): the next is due once it ends.
    const last = await ctx.store.db.selectFrom('jobs').select('status').where('id', '=', row.last_job_id).executeTakeFirst();
    if (last && (last.status === 'queued' || last.status === 'running')) return undefined;
  }
  const jobId = await ctx.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .updateTable('schedules')
      // Moved on a whole interval: should the run's end never be recorded, the schedule still goes on.
      .set({ next_run_at: plus(now, row.interval_seconds * 1000), last_claimed_at: iso(now), last_claimed_by: node })
      .where('name', '=', name)
      .where('next_run_at', '=', row.next_run_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return undefined; // another node took it
    const job = await submitJob<ScheduledJobPayload>({ ...ctx, store: { ...ctx.store, db: trx } }, { type: SCHEDULED_JOB, payload: { schedule: name }, maxAttempts: ctx.config.jobs.maxAttempts });
    await trx.updateTable('schedules').set({ last_job_id: job.id }).where('name', '=', name).execute();
    return job.id;
  });
  return jobId;
}

/** A run ended: the next is due one interval from now. */
export async function recordScheduledRun(ctx: Ctx, name: string, jobId: string, outcome: 'succeeded' | 'failed'): Promise<void> {
  const now = ctx.now();
  const row = await ctx.store.db.selectFrom('schedules').select('interval_seconds').where('name', '=', name).executeTakeFirst();
  if (!row) return;
  await ctx.store.db
    .updateTable('schedules')
    .set({ last_finished_at: iso(now), last_outcome: outcome, next_run_at: plus(now, row.interval_seconds * 1000) })
    .where('name', '=', name)
    // A later run queued meanwhile (this one was taken over and finished twice) keeps its own timing.
    .where('last_job_id', '=', jobId)
    .execute();
}

export async function listSchedules(ctx: Pick<AppContext, 'store'>): Promise<ScheduleState[]> {
  const rows = await ctx.store.db.selectFrom('schedules').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    intervalSeconds: r.interval_seconds,
    nextRunAt: r.next_run_at,
    lastClaimedAt: r.last_claimed_at ?? undefined,
    lastClaimedBy: r.last_claimed_by ?? undefined,
    lastJobId: r.last_job_id ?? undefined,
    lastFinishedAt: r.last_finished_at ?? undefined,
    lastOutcome: r.last_outcome ?? undefined,
  }));
}

/** A node's ticker over the schedules turned on in its configuration. */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  private readonly enabled: Array<{ work: ScheduledWork; seconds: number }>;

  constructor(
    private readonly ctx: AppContext,
    work: readonly ScheduledWork[],
    private readonly node: string,
  ) {
    this.enabled = work.flatMap((w) => {
      const hours = w.intervalHours(ctx.config);
      return hours > 0 ? [{ work: w, seconds: Math.max(1, Math.round(hours * 3600)) }] : [];
    });
  }

  /** The schedules this node ticks (those with an interval). */
  get names(): string[] {
    return this.enabled.map((e) => e.work.name);
  }

  /** Registers the schedules, logs each, ticks now and then every `schedules.tickSeconds` (unref'd). */
  async start(): Promise<void> {
    if (!this.enabled.length) return;
    const { firstRunDelaySeconds, tickSeconds } = this.ctx.config.schedules;
    for (const { work, seconds } of this.enabled) {
      await registerSchedule(this.ctx, work.name, seconds, firstRunDelaySeconds * 1000);
      this.ctx.log.info(work.describe(this.ctx));
    }
    this.timer = setInterval(() => void this.tick(), tickSeconds * 1000);
    this.timer.unref();
    await this.tick();
  }

  /** Queues what is due; a failure is logged and tried at the next tick. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= this.claimAll().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
  }

  private async claimAll(): Promise<void> {
    let queued = false;
    for (const { work } of this.enabled) {
      if (this.stopped) break;
      try {
        const jobId = await claimDueSchedule(this.ctx, work.name, this.node);
        if (jobId) {
          queued = true;
          this.ctx.log.debug({ schedule: work.name, job: jobId }, 'scheduled run queued');
        }
      } catch (err) {
        this.ctx.log.error({ err, schedule: work.name }, 'could not queue a scheduled run');
      }
    }
    if (queued) announceJobQueued();
  }
}
