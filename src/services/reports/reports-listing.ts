import type { AppContext } from '../../core/context.js';
import { applicationReportDTO } from './report-views.js';

/** Above this many applications one read of every latest report beats IN lists of ids. */
const READ_ALL_ABOVE = 1_000;

/**
 * ApiApplicationReportDTOV2 of the newest report of each stage of the given applications, by
 * application and stage (unsorted for a portfolio). Read from `latest_reports` with the
 * application's public id in one query: the row has what a listing shows (report id, time, policy
 * action), so neither the reports table nor a second read of the applications is needed (at 10,000
 * applications these were most of the database's part of the answer).
 */
export async function reportsListing(ctx: AppContext, applications: ReadonlySet<string>) {
  if (!applications.size) return [];
  const query = ctx.store.db
    .selectFrom('latest_reports as l')
    .innerJoin('applications as a', 'a.id', 'l.application_id')
    .select(['l.report_id as id', 'l.application_id', 'l.stage', 'l.created_at', 'l.policy_action', 'a.public_id']);
  const rows =
    applications.size > READ_ALL_ABOVE
      ? (await query.execute()).filter((r) => applications.has(r.application_id))
      : [];
  if (applications.size <= READ_ALL_ABOVE) {
    const ids = [...applications];
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(...(await query.where('l.application_id', 'in', ids.slice(i, i + 500)).orderBy('l.application_id').orderBy('l.stage').execute()));
    }
  }
  return rows.map((r) => applicationReportDTO(r.public_id, r));
}
