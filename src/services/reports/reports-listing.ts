import type { AppContext } from '../../core/context.js';
import { publicIdsOf } from '../owners/applications.js';
import { applicationReportDTO } from './report-views.js';
import { latestReports } from './reports.js';

/** ApiApplicationReportDTOV2 of the newest report of each stage of the given applications. */
export async function reportsListing(ctx: AppContext, applications: ReadonlySet<string>) {
  const rows = await latestReports(ctx, [...applications]);
  const publicIds = await publicIdsOf(ctx, [...new Set(rows.map((r) => r.application_id))]);
  return rows.map((r) => applicationReportDTO(publicIds.get(r.application_id)!, r));
}
