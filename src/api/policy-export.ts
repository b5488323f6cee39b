import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { resolveOwner } from '../services/owners/owner.js';
import { refusePolicyOwnerType } from '../services/policies.js';
import { exportPolicies, importPolicies } from '../services/policies-exchange.js';
import { errorResponses } from './dto/common.js';
import { OwnerParams, PolicyExportResultDTO, PolicyImportDTO, PolicyImportResultDTO } from './dto/policy.js';

const tags = ['Policy Export'];

export default async function policyExportRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/policy/:ownerType/:ownerId/export',
    {
      schema: {
        tags,
        summary: 'Export an owner’s policies with the license threat groups, application categories and component labels they use',
        params: OwnerParams,
        querystring: Type.Object({ includeInherited: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: PolicyExportResultDTO, ...errorResponses },
      },
      config: { partial: 'no repository owners (Tollgate has no repositories)' },
    },
    async (request) => {
      const owner = await resolveOwner(app.ctx.store, request.params.ownerType, request.params.ownerId, { refuse: refusePolicyOwnerType });
      await request.authorize('READ', { type: owner.type, id: owner.id });
      return exportPolicies(app.ctx, owner, request.query.includeInherited ?? false);
    },
  );

  app.post(
    '/api/v2/policy/:ownerType/:ownerId/import',
    {
      schema: {
        tags,
        summary: 'Import a policy export (from IQ Server or Tollgate) into an owner, all or nothing',
        params: OwnerParams,
        body: PolicyImportDTO,
        response: { 200: PolicyImportResultDTO, 409: Type.String(), ...errorResponses },
      },
      config: { tollgate: true, audit: 'policy.import' },
    },
    async (request) => {
      const owner = await resolveOwner(app.ctx.store, request.params.ownerType, request.params.ownerId, { refuse: refusePolicyOwnerType });
      await request.authorize('WRITE', { type: owner.type, id: owner.id });
      return importPolicies(app.ctx, owner, request.body);
    },
  );
}
