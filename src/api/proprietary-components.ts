import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { proprietaryComponentsOf, replaceProprietaryComponents } from '../services/policies/proprietary-components.js';
import { errorResponses } from './dto/common.js';
import { ProprietaryComponentsDTO, ProprietaryComponentsParams, ProprietaryComponentsUpdateDTO } from './dto/proprietary-components.js';

// IQ Server's "Proprietary Components" configuration has no operation in the reference API (its
// namespace-confusion endpoints are Repository Firewall's), so these routes are Tollgate's own.
const tags = ['Proprietary Components'];

const owner = ownerParams('ownerType', 'ownerId');

export default async function proprietaryComponentRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/proprietaryComponents/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'The package URL patterns an organization or application declares proprietary, and those it inherits',
        params: ProprietaryComponentsParams,
        response: { 200: ProprietaryComponentsDTO, ...errorResponses },
      },
      config: { tollgate: true, permission: requires('READ', owner) },
    },
    async (request) => proprietaryComponentsOf(app.ctx, await owner.of(request)),
  );

  app.put(
    '/api/v2/proprietaryComponents/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: "Replace an owner's proprietary package URL patterns (an empty list removes them); they apply from the next evaluation",
        params: ProprietaryComponentsParams,
        body: ProprietaryComponentsUpdateDTO,
        response: { 200: ProprietaryComponentsDTO, ...errorResponses },
      },
      config: { tollgate: true, audit: 'proprietaryComponents.update', permission: requires('MANAGE_PROPRIETARY', owner) },
    },
    async (request) => {
      const resolved = await owner.of(request);
      return replaceProprietaryComponents(app.ctx, resolved, request.body.packageUrlPatterns, { username: request.principal!.username });
    },
  );
}
