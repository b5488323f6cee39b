import { Type } from 'typebox';
import { authenticated, checkedInHandler } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { acceptsGzip, sendListing } from '../http/listing-reply.js';
import { portfolioListing } from '../services/reports/portfolio-cache.js';
import { crossStageViolation, parseViolationQuery, violationListing } from '../services/reports/policy-violations.js';
import { RepeatedQuery, errorResponses } from './dto/common.js';
import { ApplicationViolationListDTO, CrossStageViolationDTO } from './dto/policy-violations.js';

const tags = ['Policy Violation Details'];
const CROSS_STAGE = checkedInHandler("READ on the violation's application (found from the stored violation, by the service)");

export default async function policyViolationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/policyViolations',
    {
      schema: {
        tags,
        summary: 'The violations of the given policies in the newest report of each stage of every application the caller may view',
        querystring: Type.Object({
          p: Type.Array(Type.String(), { minItems: 1 }),
          openTimeAfter: Type.Optional(Type.String()),
          openTimeBefore: Type.Optional(Type.String()),
          type: RepeatedQuery,
        }),
        response: { 200: ApplicationViolationListDTO, ...errorResponses },
      },
      config: {
        partial: 'openTime is the time of the newest report that has the violation; no legacy violations, waive or fix times',
        permission: authenticated('lists the violations in the applications the caller may READ'),
      },
    },
    async (request, reply) => {
      const { p, openTimeAfter, openTimeBefore, type } = request.query;
      const query = parseViolationQuery({ policyIds: p, openTimeAfter, openTimeBefore, types: type });
      const answer = await portfolioListing(
        app.ctx,
        request.principal!,
        'policyViolations',
        JSON.stringify(query),
        request.headers['if-none-match'],
        acceptsGzip(request.headers['accept-encoding']),
        (applications) => violationListing(app.ctx, applications, query),
        (payload) => reply.serialize(payload),
      );
      return sendListing(reply, answer);
    },
  );

  app.get(
    '/api/v2/policyViolations/crossStage',
    {
      schema: {
        tags,
        summary: 'Where one violation (by id) is found across the stages of its application',
        querystring: Type.Object({ constituentId: Type.String() }),
        response: { 200: CrossStageViolationDTO, ...errorResponses },
      },
      config: { partial: 'stages are compared by their newest reports; no reachability, legacy, waive or fix times', permission: CROSS_STAGE },
    },
    async (request) => {
      return crossStageViolation(app.ctx, request.principal!, request.query.constituentId);
    },
  );

  app.get(
    '/api/v2/policyViolations/crossStage/:violationId',
    {
      schema: {
        tags,
        summary: 'The same as …/crossStage?constituentId=, with the violation id in the path',
        params: Type.Object({ violationId: Type.String() }),
        response: { 200: CrossStageViolationDTO, ...errorResponses },
      },
      config: { partial: 'stages are compared by their newest reports; no reachability, legacy, waive or fix times', permission: CROSS_STAGE },
    },
    async (request) => crossStageViolation(app.ctx, request.principal!, request.params.violationId),
  );
}
