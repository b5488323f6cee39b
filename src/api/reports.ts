import { Type } from 'typebox';
import { applicationParam, authenticated, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { acceptsGzip, sendListing } from '../http/listing-reply.js';
import { portfolioListing } from '../services/reports/portfolio-cache.js';
import { reportsListing } from '../services/reports/reports-listing.js';
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
    async (request, reply) => {
      const answer = await portfolioListing(
        app.ctx,
        request.principal!,
        'reports',
        '',
        request.headers['if-none-match'],
        acceptsGzip(request.headers['accept-encoding']),
        (applications) => reportsListing(app.ctx, applications),
        (payload) => reply.serialize(payload),
      );
      return sendListing(reply, answer);
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
