import { Type } from 'typebox';
import { applicationParam, authenticated, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access/access.js';
import { publicIdsOf } from '../services/owners/applications.js';
import { applicationById } from '../services/evaluation/evaluations.js';
import { latestReports, reportHistory } from '../services/reports/reports.js';
import { applicationReportDTO, reportResultsDTO } from '../services/reports/report-views.js';
import { errorResponses } from './dto/common.js';
import { ApplicationReportDTO, ReportHistoryDTO } from './dto/evaluation.js';

const tags = ['Reports'];
const application = applicationParam('applicationId');

export default async function reportRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/reports/applications',
    {
      schema: {
        tags,
        summary: 'The newest report of each stage of every application the caller may view',
        response: { 200: Type.Array(ApplicationReportDTO), ...errorResponses },
      },
      config: { permission: authenticated('lists the reports of the applications the caller may READ') },
    },
    async (request) => {
      const { applications } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      const rows = await latestReports(app.ctx, [...applications]);
      const publicIds = await publicIdsOf(app.ctx, [...new Set(rows.map((r) => r.application_id))]);
      return rows.map((r) => applicationReportDTO(publicIds.get(r.application_id)!, r));
    },
  );

  app.get(
    '/api/v2/reports/applications/:applicationId',
    {
      schema: {
        tags,
        summary: 'The newest report of each stage of one application',
        params: Type.Object({ applicationId: Type.String() }),
        response: { 200: Type.Array(ApplicationReportDTO), ...errorResponses },
      },
      config: { permission: requires('READ', application) },
    },
    async (request) => {
      const { applicationId } = request.params;
      const { publicId } = await applicationById(app.ctx, applicationId);
      return (await latestReports(app.ctx, [applicationId])).map((r) => applicationReportDTO(publicId, r));
    },
  );

  app.get(
    '/api/v2/reports/applications/:applicationId/history',
    {
      schema: {
        tags,
        summary: 'An application’s reports, newest first (100 at most)',
        params: Type.Object({ applicationId: Type.String() }),
        querystring: Type.Object({ stage: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: ReportHistoryDTO, ...errorResponses },
      },
      config: { permission: requires('READ', application) },
    },
    async (request) => {
      const { applicationId } = request.params;
      const { publicId } = await applicationById(app.ctx, applicationId);
      const rows = await reportHistory(app.ctx, applicationId, { stage: request.query.stage, limit: request.query.limit });
      return { applicationId, reports: rows.map((r) => reportResultsDTO(publicId, r)) };
    },
  );
}
