import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { transitivePolicyViolations, transitivePolicyWaivers, waiveTransitiveViolations } from '../services/reports/transitive-violations.js';
import { errorResponses } from './dto/common.js';
import { ApiWaiverOptionsDTO } from './dto/policy-waiver.js';
import { ApiComponentPolicyWaiversDTO, ApiComponentTransitivePolicyViolationsDTO } from './dto/transitive-violations.js';
import { WAIVER_OPTIONS_PARTIAL } from './policy-waivers.js';

/**
 * Transitive violations (Policy Violation Details) and their waivers (Policy Waivers): the
 * violations of what a component of a report depends on, directly or not.
 */

const ScanParams = Type.Object({
  ownerType: Type.String({ description: 'application' }),
  ownerId: Type.String({ description: 'the application id' }),
  scanId: Type.String({ description: 'the report id' }),
});
const StageParams = Type.Object({
  ownerType: Type.String({ description: 'application or organization' }),
  ownerId: Type.String({ description: 'the application or organization id' }),
  stageId: Type.String({ description: 'develop, source, build, stage-release, release or operate' }),
});
// The reference takes the first of the three that is given.
const ComponentQuery = Type.Object({
  componentIdentifier: Type.Optional(Type.String({ description: 'JSON: {"format":"npm","coordinates":{…}}' })),
  packageUrl: Type.Optional(Type.String()),
  hash: Type.Optional(Type.String()),
});
const NoContent = { 204: Type.Null(), ...errorResponses };

const owner = ownerParams('ownerType', 'ownerId');

export default async function transitiveViolationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/policyViolations/transitive/:ownerType/:ownerId/:scanId',
    {
      schema: {
        tags: ['Policy Violation Details'],
        summary: "The open violations of a component's transitive dependencies (everything below it in the report's dependency graph)",
        params: ScanParams,
        querystring: ComponentQuery,
        response: { 200: ApiComponentTransitivePolicyViolationsDTO, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => {
      const { scanId } = request.params;
      return transitivePolicyViolations(app.ctx, await owner.of(request), { scanId }, request.query);
    },
  );

  app.get(
    '/api/v2/policyViolations/transitive/:ownerType/:ownerId/stages/:stageId',
    {
      schema: {
        tags: ['Policy Violation Details'],
        summary:
          "The open violations of a component's transitive dependencies in the newest report of a stage (of an organization: the newest one of its applications' that has the component)",
        params: StageParams,
        querystring: ComponentQuery,
        // The reference writes this answer as a 204 with a body, which HTTP cannot carry: it is a 200.
        response: { 200: ApiComponentTransitivePolicyViolationsDTO, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => {
      const { stageId } = request.params;
      return transitivePolicyViolations(app.ctx, await owner.of(request), { stageId }, request.query);
    },
  );

  app.get(
    '/api/v2/policyWaivers/transitive/:ownerType/:ownerId/:scanId',
    {
      schema: {
        tags: ['Policy Waivers'],
        summary: "The unexpired waivers in effect at the application that cover a violation of a component's transitive dependencies",
        params: ScanParams,
        querystring: ComponentQuery,
        response: { 200: ApiComponentPolicyWaiversDTO, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => {
      const { scanId } = request.params;
      return transitivePolicyWaivers(app.ctx, await owner.of(request), scanId, request.query);
    },
  );

  app.post(
    '/api/v2/policyWaivers/transitive/:ownerType/:ownerId/:scanId',
    {
      schema: {
        tags: ['Policy Waivers'],
        summary: "Waive every open violation of a component's transitive dependencies in a report, with the same options",
        params: ScanParams,
        querystring: ComponentQuery,
        body: ApiWaiverOptionsDTO,
        response: NoContent,
      },
      config: { audit: 'policyWaiver.createTransitive', partial: WAIVER_OPTIONS_PARTIAL, permission: requires('WAIVE_POLICY_VIOLATIONS', owner) },
    },
    async (request, reply) => {
      const { scanId } = request.params;
      const resolved = await owner.of(request);
      await waiveTransitiveViolations(app.ctx, resolved, { scanId }, request.query, request.body, { username: request.principal!.username });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v2/policyWaivers/transitive/:ownerType/:ownerId/stages/:stageId',
    {
      schema: {
        tags: ['Policy Waivers'],
        summary:
          "Waive every open violation of a component's transitive dependencies in the newest report of a stage, on the application or organization",
        params: StageParams,
        querystring: ComponentQuery,
        body: ApiWaiverOptionsDTO,
        response: NoContent,
      },
      config: { audit: 'policyWaiver.createTransitive', partial: WAIVER_OPTIONS_PARTIAL, permission: requires('WAIVE_POLICY_VIOLATIONS', owner) },
    },
    async (request, reply) => {
      const { stageId } = request.params;
      const resolved = await owner.of(request);
      await waiveTransitiveViolations(app.ctx, resolved, { stageId }, request.query, request.body, { username: request.principal!.username });
      return reply.status(204).send(null);
    },
  );
}
