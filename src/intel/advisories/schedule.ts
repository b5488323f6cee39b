/**
 * The server's scheduled vulnerability data sync (`vulndb.syncIntervalHours`, off by default). A
 * failed run logs one line and the server goes on with the data it has; runs never overlap.
 */
import type { AppContext } from '../../core/context.js';
import { type ScheduledSync, startPeriodic } from '../periodic.js';
import { advisoryIndexFor } from './index-cache.js';
import { MirrorUnreachableError, syncVulnerabilityData } from './sync.js';

/** First run this long after start, so that start-up is not slowed by a download. */
const FIRST_RUN_DELAY_MS = 60_000;

export type { ScheduledSync };

/** One scheduled run: sync, log what happened in a line or two, never throw. */
export async function runScheduledSync(ctx: AppContext): Promise<void> {
  const { mirrorUrl, ecosystems, syncIntervalHours } = ctx.config.vulndb;
  const next = syncIntervalHours > 0 ? `; next try in ${syncIntervalHours} h` : '';
  try {
    const results = await syncVulnerabilityData(ctx, { mirrorUrl, ecosystems });
    const done = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const counts = done.reduce(
      (sum, r) => ({ added: sum.added + r.summary.added, updated: sum.updated + r.summary.updated }),
      { added: 0, updated: 0 },
    );
    ctx.log.info(
      `vulnerability data sync: ${done.length} of ${results.length} ecosystems imported, ${counts.added} advisories added, ${counts.updated} updated`,
    );
    if (failed.length) {
      ctx.log.warn(`vulnerability data sync: failed for ${failed.map((r) => `${r.ecosystem} (${r.error})`).join('; ')}`);
    }
    if (counts.added + counts.updated > 0) await advisoryIndexFor(ctx);
  } catch (err) {
    const reason = err instanceof MirrorUnreachableError ? `mirror unreachable: ${err.message}` : (err as Error).message;
    ctx.log.warn(`vulnerability data sync: ${reason}; keeping the advisories we have${next}`);
  }
}

/** Starts the schedule when `vulndb.syncIntervalHours` > 0. Timers do not keep the process alive. */
export function startScheduledSync(ctx: AppContext, firstRunDelayMs = FIRST_RUN_DELAY_MS): ScheduledSync | undefined {
  const hours = ctx.config.vulndb.syncIntervalHours;
  const schedule = startPeriodic({ hours, firstRunDelayMs, run: () => runScheduledSync(ctx) });
  if (schedule) ctx.log.info(`vulnerability data sync every ${hours} h from ${ctx.config.vulndb.mirrorUrl}`);
  return schedule;
}
