import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { refusePolicyOwnerType } from '../services/policies/policies.js';
import { exportPolicies, importPolicies } from '../services/policies/policies-exchange.js';
import { errorResponses } from './dto/common.js';
import { OwnerParams, PolicyExportResultDTO, PolicyImportDTO, PolicyImportResultDTO } from './dto/policy.js';

const tags = ['Policy Export'];
const policyOwner = ownerParams('ownerType', 'ownerId', { refuse: refusePolicyOwnerType });

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
      config: { partial: 'no repository owners (Tollgate has no repositories)', permission: requires('READ', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
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
      config: { tollgate: true, audit: 'policy.import', permission: requires('WRITE', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
      return importPolicies(app.ctx, owner, request.body);
    },
  );
}
