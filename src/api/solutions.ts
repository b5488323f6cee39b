import { Type } from 'typebox';
import { authenticated } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { licensedSolutions } from '../services/admin/solutions.js';
import { errorResponses } from './dto/common.js';
import { ApiLicensedSolutionDTO } from './dto/configuration.js';

export default async function solutionRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/solutions/licensed',
    {
      schema: {
        tags: ['Solutions'],
        summary: 'Licensed solutions: Lifecycle (what Tollgate implements)',
        description:
          'The base URL system property must be set to get results unless relative URLs are allowed. Permissions required: None (any authenticated user).',
        querystring: Type.Object({ allowRelativeUrls: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Array(ApiLicensedSolutionDTO), ...errorResponses },
      },
      config: { permission: authenticated('the same for every caller') },
    },
    async (request) => licensedSolutions(app.ctx, request.query.allowRelativeUrls ?? false),
  );
}
