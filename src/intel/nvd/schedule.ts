/**
 * The server's scheduled NVD sync (`nvd.syncIntervalHours`, off by default): one run, queued by the
 * schedule every node shares (jobs/scheduler.ts). A failed run logs one line and the server goes on
 * with the NVD data it has.
 */
import type { AppContext } from '../../core/context.js';
import { NvdSyncError, syncNvd } from './sync.js';

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
