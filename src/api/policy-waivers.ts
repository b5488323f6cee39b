import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { ValidationError } from '../core/errors.js';
import { deleteWaiver, getWaiver, listWaivers, updateWaiver, waiveViolations } from '../services/decisions/policy-waivers.js';
import { errorResponses } from './dto/common.js';
import { OverrideOwnerType } from './dto/license-override.js';
import { ApiBulkWaiversDTO, ApiPolicyWaiverDTO, ApiWaiverOptionsDTO } from './dto/policy-waiver.js';

const tags = ['Policy Waivers'];
const OwnerParams = Type.Object({ ownerType: OverrideOwnerType, ownerId: Type.String() });
const WaiverParams = Type.Object({ ...OwnerParams.properties, policyWaiverId: Type.String() });
const NoContent = { 204: Type.Null(), ...errorResponses };
export const WAIVER_OPTIONS_PARTIAL =
  'expireWhenRemediationAvailable ends a waiver when an evaluation finds a newer version without the violation, for npm, Maven Central and PyPI components only (the registries Tollgate reads); waiverReasonId is stored as given (no waiver reasons yet)';

const owner = ownerParams('ownerType', 'ownerId');

export default async function policyWaiverRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/policyWaivers/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'The unexpired policy waivers in effect at an organization or application: its own and those of the organizations above it',
        params: OwnerParams,
        response: { 200: Type.Array(ApiPolicyWaiverDTO), ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => listWaivers(app.ctx, await owner.of(request)),
  );

  app.get(
    '/api/v2/policyWaivers/:ownerType/:ownerId/:policyWaiverId',
    {
      schema: {
        tags,
        summary: 'A policy waiver in effect at an organization or application (its own or inherited)',
        params: WaiverParams,
        response: { 200: ApiPolicyWaiverDTO, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => getWaiver(app.ctx, await owner.of(request), request.params.policyWaiverId),
  );

  app.post(
    '/api/v2/policyWaivers/:ownerType/:ownerId/:policyViolationId',
    {
      schema: {
        tags,
        summary:
          "Waive a violation of a stored report on its application or one of its organizations: the violation's policy for its component exactly, any version of it, or every component",
        params: Type.Object({ ...OwnerParams.properties, policyViolationId: Type.String() }),
        body: ApiWaiverOptionsDTO,
        response: NoContent,
      },
      config: { audit: 'policyWaiver.create', partial: WAIVER_OPTIONS_PARTIAL, permission: requires('WAIVE_POLICY_VIOLATIONS', owner) },
    },
    async (request, reply) => {
      const resolved = await owner.of(request);
      await waiveViolations(app.ctx, resolved, [request.params.policyViolationId], request.body, { username: request.principal!.username });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v2/policyWaivers/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Waive up to 1000 violations of stored reports at once with the same options; all or nothing',
        params: OwnerParams,
        body: ApiBulkWaiversDTO,
        response: NoContent,
      },
      config: {
        audit: 'policyWaiver.createBulk',
        partial: `violations of application reports (the reference's are repository violations, and Tollgate has no repositories); ${WAIVER_OPTIONS_PARTIAL}`,
        permission: requires('WAIVE_POLICY_VIOLATIONS', owner),
      },
    },
    async (request, reply) => {
      const resolved = await owner.of(request);
      const { violationIds, apiWaiverOptionsDTO } = request.body;
      if (!apiWaiverOptionsDTO) throw new ValidationError('apiWaiverOptionsDTO is required: the comment and matcherStrategy of the waivers');
      await waiveViolations(app.ctx, resolved, violationIds ?? [], apiWaiverOptionsDTO, { username: request.principal!.username });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v2/policyWaivers/:ownerType/:ownerId/:policyWaiverId',
    {
      schema: {
        tags,
        summary: "Change a waiver's comment, expiry and reason (its matcher strategy stays); only on the owner it was made on",
        params: WaiverParams,
        body: ApiWaiverOptionsDTO,
        response: NoContent,
      },
      config: { audit: 'policyWaiver.update', partial: WAIVER_OPTIONS_PARTIAL, permission: requires('WAIVE_POLICY_VIOLATIONS', owner) },
    },
    async (request, reply) => {
      await updateWaiver(app.ctx, await owner.of(request), request.params.policyWaiverId, request.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v2/policyWaivers/:ownerType/:ownerId/:policyWaiverId',
    {
      schema: {
        tags,
        summary: 'Delete a policy waiver made on this organization or application: its violations count again from the next evaluation',
        params: WaiverParams,
        response: NoContent,
      },
      config: { audit: 'policyWaiver.delete', permission: requires('WAIVE_POLICY_VIOLATIONS', owner) },
    },
    async (request, reply) => {
      await deleteWaiver(app.ctx, await owner.of(request), request.params.policyWaiverId);
      return reply.status(204).send(null);
    },
  );
}
