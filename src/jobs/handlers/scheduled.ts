import { PermanentJobError } from '../errors.js';
import { SCHEDULED_WORK } from '../scheduled-work.js';
import { SCHEDULED_JOB, type ScheduledJobPayload, recordScheduledRun } from '../scheduler.js';
import type { JobHandler } from '../types.js';

/**
 * Runs a run of periodic work the shared schedule queued (jobs/scheduler.ts), then makes the next
 * due one interval later. One at a time, in a lane of its own: a sync that takes minutes never holds
 * a slot an evaluation is waiting for.
 */
const scheduled: JobHandler<ScheduledJobPayload, { schedule: string }> = {
  type: SCHEDULED_JOB,
  concurrency: 1,
  async run(payload, job) {
    const work = SCHEDULED_WORK.find((w) => w.name === payload.schedule);
    if (!work) throw new PermanentJobError(`No scheduled work is named ${JSON.stringify(payload.schedule)}.`);
    let outcome: 'succeeded' | 'failed' = 'succeeded';
    try {
      await work.run(job.ctx);
    } catch (err) {
      outcome = 'failed';
      job.ctx.log.error({ err, schedule: work.name }, 'scheduled run failed');
    }
    await recordScheduledRun(job.ctx, work.name, job.id, outcome);
    return { schedule: work.name };
  },
};

export default scheduled;
