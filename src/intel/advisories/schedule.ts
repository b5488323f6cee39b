/**
 * The server's scheduled vulnerability data sync (`vulndb.syncIntervalHours`, off by default): one
 * run, queued by the schedule every node shares (jobs/scheduler.ts, jobs/scheduled-work.ts). A
 * failed run logs one line and the server goes on with the data it has.
 */
import type { AppContext } from '../../core/context.js';
import { advisoryIndexFor } from './index-cache.js';
import { MirrorUnreachableError, syncVulnerabilityData } from './sync.js';

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
