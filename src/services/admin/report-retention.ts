import type { AppContext } from '../../core/context.js';
import { effectiveRetentionPolicy, type ReportRetention } from './data-retention.js';

/** The time `maxAge` (`3 months`, `2 weeks`, `1 year`) before `now`. */
export function cutoffFor(maxAge: string, now: Date): Date | undefined {
  const match = /^(\d+) (day|week|month|year)s?$/.exec(maxAge.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  const d = new Date(now.getTime());
  switch (match[2]) {
    case 'day':
      d.setUTCDate(d.getUTCDate() - n);
      break;
    case 'week':
      d.setUTCDate(d.getUTCDate() - 7 * n);
      break;
    case 'month':
      d.setUTCMonth(d.getUTCMonth() - n);
      break;
    case 'year':
      d.setUTCFullYear(d.getUTCFullYear() - n);
      break;
  }
  return d;
}

/**
 * Applies the data retention policy of the application's organization to its reports: per stage
 * with purging enabled, reports older than `maxAge` and beyond the newest `maxCount` go; the newest
 * report of each stage always stays. Requests whose report went and whose input no remaining
 * report needs go with them. Runs whenever an application gets a new report, so an application
 * that is no longer scanned keeps its last reports until its next scan. Returns the reports purged.
 */
export async function purgeApplicationReports(ctx: AppContext, applicationId: string): Promise<number> {
  const app = await ctx.store.db.selectFrom('applications').select('organization_id').where('id', '=', applicationId).executeTakeFirst();
  if (!app) return 0;
  const policy = await effectiveRetentionPolicy(ctx, app.organization_id);
  const stages = Object.entries(policy.applicationReports.stages).filter((e): e is [string, ReportRetention] => e[1]?.enablePurging === true);
  if (!stages.length) return 0;
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const purged: string[] = [];
    for (const [stage, setting] of stages) {
      const rows = await trx
        .selectFrom('reports')
        .select(['id', 'created_at'])
        .where('application_id', '=', applicationId)
        .where('stage', '=', stage)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      const cutoff = setting.maxAge ? cutoffFor(setting.maxAge, now)?.toISOString() : undefined;
      rows.forEach((row, i) => {
        if (i === 0) return; // the newest report of a stage always stays
        const tooOld = cutoff !== undefined && row.created_at < cutoff;
        const tooMany = setting.maxCount !== undefined && i >= setting.maxCount;
        if (tooOld || tooMany) purged.push(row.id);
      });
    }
    for (let i = 0; i < purged.length; i += 500) {
      const ids = purged.slice(i, i + 500);
      await trx.deleteFrom('reports').where('id', 'in', ids).execute();
      await trx
        .deleteFrom('evaluation_requests')
        .where('report_id', 'in', ids)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('reports')
                .select('reports.id')
                .whereRef('reports.input_request_id', '=', 'evaluation_requests.id'),
            ),
          ),
        )
        .execute();
    }
    return purged.length;
  });
}
