import type { AppContext } from '../../src/core/context.js';
import scheduled from '../../src/jobs/handlers/scheduled.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { SCHEDULED_WORK } from '../../src/jobs/scheduled-work.js';
import { Scheduler } from '../../src/jobs/scheduler.js';

/**
 * Starts the shared schedule on `ctx` as a server does, with the first run due at once, and runs
 * what it queued with a pool that runs only scheduled work. Returns the schedules that were on.
 * The schedule rows are made afresh, so each call finds its work due.
 */
export async function runDueSchedules(ctx: AppContext): Promise<string[]> {
  await ctx.store.db.deleteFrom('schedules').execute();
  const config = { ...ctx.config, schedules: { tickSeconds: 3600, firstRunDelaySeconds: 0 } };
  const scheduler = new Scheduler({ ...ctx, config }, SCHEDULED_WORK, 'test');
  await scheduler.start();
  await scheduler.stop();
  await new WorkerPool(ctx, { handlers: [scheduled] }).drain();
  return scheduler.names;
}
