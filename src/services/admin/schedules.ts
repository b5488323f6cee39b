import type { AppContext } from '../../core/context.js';
import { SCHEDULED_WORK } from '../../jobs/scheduled-work.js';
import { listSchedules } from '../../jobs/scheduler.js';

export interface ScheduleView {
  name: string;
  /** Whether the configuration of the node answering turns it on (every node should say the same). */
  enabled: boolean;
  intervalSeconds?: number;
  nextRunAt?: string;
  lastClaimedAt?: string;
  lastClaimedBy?: string;
  lastJobId?: string;
  /** The last run's job as it is now: queued, running, succeeded or failed. */
  lastJobStatus?: string;
  lastFinishedAt?: string;
  lastOutcome?: string;
}

/** Every kind of periodic work, with its shared schedule's state once a node has registered it. */
export async function scheduleViews(ctx: AppContext): Promise<ScheduleView[]> {
  const rows = new Map((await listSchedules(ctx)).map((r) => [r.name, r]));
  const jobIds = [...rows.values()].flatMap((r) => (r.lastJobId ? [r.lastJobId] : []));
  const statuses = new Map(
    jobIds.length ? (await ctx.store.db.selectFrom('jobs').select(['id', 'status']).where('id', 'in', jobIds).execute()).map((j) => [j.id, j.status]) : [],
  );
  return SCHEDULED_WORK.map((work) => {
    const row = rows.get(work.name);
    return {
      ...row,
      name: work.name,
      enabled: work.intervalHours(ctx.config) > 0,
      lastJobStatus: row?.lastJobId ? statuses.get(row.lastJobId) : undefined,
    };
  });
}
