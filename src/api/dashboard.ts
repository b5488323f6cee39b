import { Type } from 'typebox';
import { authenticated } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { portfolioDashboard } from '../services/reports/dashboard.js';
import { errorResponses } from './dto/common.js';
import { DashboardDTO } from './dto/dashboard.js';

/** Tollgate's own: the portfolio dashboard the web UI shows (no such operation in the reference). */
export default async function dashboardRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/dashboard',
    {
      schema: {
        tags: ['Tollgate'],
        summary:
          'Portfolio risk over the newest report of each stage of the applications the caller may view: open violations by threat band and policy type, the newest evaluations, the riskiest applications and components, and the trend',
        querystring: Type.Object({
          organizationId: Type.Optional(Type.String({ description: 'this organization and those below it' })),
          applicationCategoryId: Type.Optional(Type.String()),
          stageId: Type.Optional(Type.String()),
          days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'days of trend, today included (default 30)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'rows of each top list (default 10)' })),
        }),
        response: { 200: DashboardDTO, ...errorResponses },
      },
      config: { tollgate: true, permission: authenticated('covers the applications the caller may READ') },
    },
    async (request) => portfolioDashboard(app.ctx, request.principal!, request.query),
  );
}
