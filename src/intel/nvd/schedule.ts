/**
 * The server's scheduled NVD sync (`nvd.syncIntervalHours`, off by default), on the timer rules the
 * other data syncs share (intel/periodic.ts). A failed run logs one line and the server goes on
 * with the NVD data it has.
 */
import type { AppContext } from '../../core/context.js';
import { type ScheduledSync, startPeriodic } from '../periodic.js';
import { NvdSyncError, syncNvd } from './sync.js';

/** First run this long after start, so that start-up is not slowed by a download. */
const FIRST_RUN_DELAY_MS = 60_000;

/** The sync options the configuration gives (the key from `nvd.apiKey` / TOLLGATE_NVD_API_KEY). */
export function nvdSyncSettings(ctx: AppContext) {
  const { apiUrl, apiKey, requestDelayMs } = ctx.config.nvd;
  return { apiUrl, apiKey: apiKey || undefined, requestDelayMs };
}

/** One scheduled run: sync, log a line, never throw. */
export async function runScheduledNvdSync(ctx: AppContext): Promise<void> {
  const hours = ctx.config.nvd.syncIntervalHours;
  try {
    const r = await syncNvd(ctx, nvdSyncSettings(ctx));
    const s = r.summary;
    ctx.log.info(
      `NVD sync: ${s.records} CVEs fetched in ${r.pages} pages${r.full ? ' (all CVEs)' : ''}, ${s.added} added, ${s.updated} updated; changes up to ${r.syncedUntil}`,
    );
  } catch (err) {
    const message = err instanceof NvdSyncError ? err.message : `NVD sync failed: ${(err as Error).message}; the NVD data is unchanged`;
    ctx.log.warn(`${message}${hours > 0 ? `; next try in ${hours} h` : ''}`);
  }
}

/** Starts the schedule when `nvd.syncIntervalHours` > 0. Timers do not keep the process alive. */
export function startNvdSync(ctx: AppContext, firstRunDelayMs = FIRST_RUN_DELAY_MS): ScheduledSync | undefined {
  const hours = ctx.config.nvd.syncIntervalHours;
  const schedule = startPeriodic({ hours, firstRunDelayMs, run: () => runScheduledNvdSync(ctx) });
  if (schedule) ctx.log.info(`NVD sync every ${hours} h from ${ctx.config.nvd.apiUrl} (${ctx.config.nvd.apiKey ? 'with' : 'without'} an API key)`);
  return schedule;
}
