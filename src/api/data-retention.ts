import { Type } from 'typebox';
import { organizationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { effectiveRetentionPolicy, parentRetentionPolicy, setRetentionPolicy } from '../services/admin/data-retention.js';
import { errorResponses } from './dto/common.js';
import { ApiDataRetentionPoliciesDTO } from './dto/data-retention.js';

const tags = ['Data Retention Policies'];
const organization = organizationParam('organizationId');
const OrganizationId = Type.Object({ organizationId: Type.String() });
// Reports are purged by these policies when an application gets a new report; nothing else is.
const NOT_ENFORCED = 'reports are purged when their application gets a new report (not on a schedule); success metrics are not kept, so not purged';

export default async function dataRetentionRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/dataRetentionPolicies/organizations/:organizationId',
    {
      schema: {
        tags,
        summary: 'The retention policies in effect for an organization (inherited settings flagged inheritPolicy)',
        params: OrganizationId,
        response: { 200: ApiDataRetentionPoliciesDTO, ...errorResponses },
      },
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
      return effectiveRetentionPolicy(app.ctx, request.params.organizationId);
    },
  );

  app.put(
    '/api/v2/dataRetentionPolicies/organizations/:organizationId',
    {
      schema: {
        tags,
        summary: "Set an organization's retention policies; stages and success metrics left out stay as they were",
        params: OrganizationId,
        body: ApiDataRetentionPoliciesDTO,
        response: { 200: Type.String({ maxLength: 0, description: 'empty, as the reference answers' }), ...errorResponses },
      },
      config: { audit: 'dataRetentionPolicy.update', partial: NOT_ENFORCED, permission: requires('WRITE', organization) },
    },
    async (request, reply) => {
      await setRetentionPolicy(app.ctx, request.params.organizationId, request.body);
      return reply.status(200).send('');
    },
  );

  app.get(
    '/api/v2/dataRetentionPolicies/organizations/:organizationId/parent',
    {
      schema: {
        tags,
        summary: "The retention policies in effect for an organization's parent (404 for the root organization)",
        params: OrganizationId,
        response: { 200: ApiDataRetentionPoliciesDTO, ...errorResponses },
      },
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
      return parentRetentionPolicy(app.ctx, request.params.organizationId);
    },
  );
}
