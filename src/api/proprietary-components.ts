import type { FastifyRequest } from 'fastify';
import type { TollgateApp } from '../http/types.js';
import { type Owner, resolveOwner } from '../services/owners/owner.js';
import type { Permission } from '../services/permissions.js';
import { proprietaryComponentsOf, replaceProprietaryComponents } from '../services/proprietary-components.js';
import { errorResponses } from './dto/common.js';
import { ProprietaryComponentsDTO, ProprietaryComponentsParams, ProprietaryComponentsUpdateDTO } from './dto/proprietary-components.js';

// IQ Server's "Proprietary Components" configuration has no operation in the reference API (its
// namespace-confusion endpoints are Repository Firewall's), so these routes are Tollgate's own.
const tags = ['Proprietary Components'];

export default async function proprietaryComponentRoutes(app: TollgateApp): Promise<void> {
  async function owner(request: FastifyRequest, params: { ownerType: string; ownerId: string }, permission: Permission): Promise<Owner> {
    const resolved = await resolveOwner(app.ctx.store, params.ownerType, params.ownerId);
    await request.authorize(permission, { type: resolved.type, id: resolved.id });
    return resolved;
  }

  app.get(
    '/api/v2/proprietaryComponents/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'The package URL patterns an organization or application declares proprietary, and those it inherits',
        params: ProprietaryComponentsParams,
        response: { 200: ProprietaryComponentsDTO, ...errorResponses },
      },
      config: { tollgate: true },
    },
    async (request) => proprietaryComponentsOf(app.ctx, await owner(request, request.params, 'READ')),
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
      config: { tollgate: true, audit: 'proprietaryComponents.update' },
    },
    async (request) => {
      const resolved = await owner(request, request.params, 'MANAGE_PROPRIETARY');
      return replaceProprietaryComponents(app.ctx, resolved, request.body.packageUrlPatterns, { username: request.principal!.username });
    },
  );
}
