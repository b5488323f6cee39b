import { hostname } from 'node:os';
import type { AppContext } from '../core/context.js';
import { newId } from '../core/ids.js';
import { PermanentJobError } from './errors.js';
import {
  type ClaimedJob,
  claimJobs,
  completeJob,
  failAttempt,
  recoverExpiredLeases,
  releaseJob,
  renewLease,
  storeProgress,
  onJobQueued,
} from './queue.js';
import type { JobHandler, JobProgress } from './types.js';

export interface WorkerPoolOptions {
  /** Each takes its own payload type: `run` is a method, so a `JobHandler<P, R>` is a `JobHandler`. */
  handlers: JobHandler[];
  /** Default: config `jobs.concurrency`. */
  concurrency?: number;
  /** Default: config `jobs.leaseSeconds`. */
  leaseMs?: number;
  /** Default: config `jobs.pollIntervalMs`. */
  pollIntervalMs?: number;
  /** Wait before retry number `attempt` (1-based count of failed attempts). Default: 10 s doubling, at most 10 min. */
  retryDelayMs?: (attempt: number) => number;
  /** Names this worker in the jobs' lease_owner column. */
  workerId?: string;
}

interface Active {
  job: ClaimedJob;
  abort: AbortController;
  done: Promise<void>;
  /** Set when the worker stopped caring about the outcome (abandoned, or released at shutdown). */
  detached: boolean;
  renewal?: NodeJS.Timeout;
}

const defaultRetryDelay = (attempt: number) => Math.min(10_000 * 2 ** (attempt - 1), 600_000);

/**
 * Runs queued jobs with bounded concurrency: claims due jobs of the types it has handlers for,
 * renews each job's lease while its handler runs, and records the outcome. On start it recovers
 * jobs whose worker died (expired lease); it does so again every half lease while running, so a
 * second server picks up a first one's work.
 */
export class WorkerPool {
  readonly workerId: string;
  /** Counters, for logs and tests. */
  readonly stats = { claimed: 0, lostClaims: 0, succeeded: 0, failed: 0, retried: 0 };
  private readonly handlers = new Map<string, JobHandler>();
  private readonly active = new Map<string, Active>();
  /** The shared slots' job types, and each handler's own lane (JobHandler.concurrency). */
  private readonly lanes: Array<{ types: string[]; concurrency: number }> = [];
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** Set by notify(); the loop looks for work again instead of sleeping. */
  private wakeUpPending = false;
  private unsubscribe?: () => void;
  private lastRecovery = 0;
  /** Runs that have ended, however (drain() looks again when one ended while it was claiming). */
  private finished = 0;

  constructor(
    private readonly ctx: AppContext,
    options: WorkerPoolOptions,
  ) {
    for (const handler of options.handlers) {
      if (this.handlers.has(handler.type)) throw new Error(`two job handlers for type ${handler.type}`);
      this.handlers.set(handler.type, handler);
    }
    this.concurrency = options.concurrency ?? ctx.config.jobs.concurrency;
    const shared = [...this.handlers.values()].filter((h) => h.concurrency === undefined).map((h) => h.type);
    if (shared.length) this.lanes.push({ types: shared, concurrency: this.concurrency });
    for (const h of this.handlers.values()) if (h.concurrency !== undefined) this.lanes.push({ types: [h.type], concurrency: h.concurrency });
    this.leaseMs = options.leaseMs ?? ctx.config.jobs.leaseSeconds * 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? ctx.config.jobs.pollIntervalMs;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  }

  /** Jobs running in this pool now. */
  get running(): number {
    return this.active.size;
  }

  /** Recovers jobs left by dead workers, then keeps claiming and running jobs until stop(). */
  async start(): Promise<void> {
    if (this.loop) return;
    await this.recover();
    this.unsubscribe = onJobQueued(() => this.notify());
    this.loop = this.runLoop();
  }

  /** Looks for work now instead of at the next poll (e.g. right after a submission in this process). */
  notify(): void {
    this.wakeUpPending = true;
    this.wakeUp?.();
  }

  /**
   * Runs due jobs until none is left, then resolves. For tests and one-shot commands; do not mix
   * with start().
   */
  async drain(): Promise<void> {
    await this.recover();
    for (;;) {
      const finishedBefore = this.finished;
      const started = await this.fill();
      // A job that finished while fill() was claiming may have queued its retry after the claim's
      // read (on PostgreSQL the two run on separate connections), so "nothing started and nothing
      // running" does not yet mean nothing is due: look again. (Without this, a job could be left
      // queued with attempts to spare: 47 of 300 drains on PostgreSQL.)
      if (started > 0 || this.finished !== finishedBefore) continue;
      if (this.active.size === 0) return;
      await Promise.race([...this.active.values()].map((a) => a.done));
    }
  }

  /**
   * Graceful shutdown: claims nothing more, lets running jobs finish for up to `timeoutMs`, then
   * aborts the rest and puts them back in the queue (the interrupted attempt does not count).
   * Queued jobs stay queued for the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wakeUp?.();
    await this.loop;
    if (this.active.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([Promise.all([...this.active.values()].map((a) => a.done)), timedOut]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return;
    for (const a of [...this.active.values()]) {
      a.detached = true;
      clearInterval(a.renewal);
      a.abort.abort(new Error('the server is shutting down'));
      this.active.delete(a.job.id);
      try {
        if (await releaseJob(this.ctx, a.job.id, this.workerId)) {
          this.ctx.log.warn({ job: a.job.id, type: a.job.type }, 'job still running at shutdown: put back in the queue');
        }
      } catch (err) {
        this.ctx.log.error({ err, job: a.job.id }, 'could not put an unfinished job back in the queue');
      }
    }
  }

  /**
   * Stops at once without touching the database, as if the process had died: running jobs keep
   * their leases until those expire. For tests of recovery.
   */
  abandon(): void {
    this.stopping = true;
    this.wakeUp?.();
    for (const a of this.active.values()) {
      a.detached = true;
      clearInterval(a.renewal);
      a.abort.abort(new Error('worker abandoned'));
    }
    this.active.clear();
  }

  private async recover(): Promise<void> {
    this.lastRecovery = Date.now();
    const { requeued, failed } = await recoverExpiredLeases(this.ctx);
    if (requeued || failed) this.ctx.log.warn({ requeued, failed }, 'recovered jobs whose worker stopped before finishing');
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      this.wakeUpPending = false;
      try {
        if (Date.now() - this.lastRecovery > this.leaseMs / 2) await this.recover();
        await this.fill();
      } catch (err) {
        this.ctx.log.error({ err }, 'job queue: could not claim jobs');
      }
      if (this.stopping) break;
      // A wake-up that came while claiming would otherwise be lost until the next poll.
      if (this.wakeUpPending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** Claims jobs for the free slots of each lane and starts them; returns how many started. */
  private async fill(): Promise<number> {
    let started = 0;
    for (const lane of this.lanes) {
      if (this.stopping) break;
      let busy = 0;
      for (const a of this.active.values()) if (lane.types.includes(a.job.type)) busy++;
      const free = lane.concurrency - busy;
      if (free <= 0) continue;
      const { claimed, lost } = await claimJobs(this.ctx, this.workerId, lane.types, free, this.leaseMs);
      this.stats.claimed += claimed.length;
      this.stats.lostClaims += lost;
      for (const job of claimed) this.launch(job);
      started += claimed.length;
    }
    return started;
  }

  private launch(job: ClaimedJob): void {
    const entry: Active = { job, abort: new AbortController(), done: Promise.resolve(), detached: false };
    this.active.set(job.id, entry);
    entry.done = this.execute(entry).finally(() => {
      if (this.active.get(job.id) === entry) this.active.delete(job.id);
      this.finished++;
      // A slot is free: look for the next job without waiting for the poll.
      this.notify();
    });
  }

  private async execute(entry: Active): Promise<void> {
    const { job, abort } = entry;
    const { ctx, workerId, leaseMs } = this;
    const log = ctx.log.child({ job: job.id, type: job.type, attempt: job.attempt });
    const renewal = setInterval(() => {
      if (entry.detached) return;
      renewLease(ctx, job.id, workerId, leaseMs).then(
        (held) => {
          if (!held && !entry.detached) {
            entry.detached = true;
            log.warn('lost the lease on a running job (another worker took it over): abandoning this run');
            abort.abort(new Error('lease lost'));
          }
        },
        (err) => log.error({ err }, 'could not renew a job lease'),
      );
    }, Math.max(leaseMs / 3, 10));
    renewal.unref();
    entry.renewal = renewal;

    const handler = this.handlers.get(job.type)!;
    try {
      const result = await handler.run(job.payload, {
        id: job.id,
        type: job.type,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        ctx,
        signal: abort.signal,
        progress: async (progress: JobProgress) => {
          if (!entry.detached) await storeProgress(ctx, job.id, workerId, progress);
        },
      });
      if (entry.detached) return;
      if (await completeJob(ctx, job.id, workerId, result)) this.stats.succeeded++;
    } catch (err) {
      if (entry.detached) return;
      const message = err instanceof Error ? err.message || err.name : String(err);
      const permanent = err instanceof PermanentJobError;
      try {
        const status = await failAttempt(ctx, job, workerId, message, { permanent, retryDelayMs: this.retryDelayMs(job.attempt) });
        if (status === 'queued') this.stats.retried++;
        if (status === 'failed') this.stats.failed++;
        log.warn({ err }, status === 'queued' ? 'job attempt failed; it will be retried' : 'job failed');
      } catch (storeErr) {
        log.error({ err: storeErr }, 'could not record a failed job attempt');
      }
    } finally {
      clearInterval(renewal);
    }
  }
}
