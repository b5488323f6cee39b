import { Type } from 'typebox';
import { requires, scopeFrom } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { deleteClaim, getClaim, listClaims, saveClaim } from '../services/decisions/component-claims.js';
import { ROOT_ORGANIZATION_ID } from '../core/ids.js';
import { errorResponses } from './dto/common.js';
import { ApiHashComponentIdentifierDTO, ApiHashComponentIdentifiersDTO } from './dto/component-claim.js';
import { ComponentHashParam } from './dto/component.js';

// Claims are global (a hash names the same file everywhere), so "Claim components" is asked for on
// the root organization: held there (Policy Administrator, the root's Owner) or granted globally.
const tags = ['Claim Components'];
const rootOrganization = scopeFrom('the root organization', [], async () => ({ type: 'organization' as const, id: ROOT_ORGANIZATION_ID }));
const HashParams = Type.Object({ hash: ComponentHashParam });

export default async function componentClaimRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/claim/components',
    {
      schema: { tags, summary: 'Every component claim', response: { 200: ApiHashComponentIdentifiersDTO, ...errorResponses } },
      config: { permission: requires('CLAIM_COMPONENT', rootOrganization) },
    },
    async () => {
      return { componentClaims: await listClaims(app.ctx) };
    },
  );

  app.post(
    '/api/v2/claim/components',
    {
      schema: {
        tags,
        summary: 'Claim a component, or change its claim: hash, and componentIdentifier and/or packageUrl, are required',
        body: ApiHashComponentIdentifierDTO,
        response: { 200: ApiHashComponentIdentifierDTO, ...errorResponses },
      },
      config: { audit: 'componentClaim.save', permission: requires('CLAIM_COMPONENT', rootOrganization) },
    },
    async (request) => {
      return saveClaim(app.ctx, request.body, { username: request.principal!.username });
    },
  );

  app.get(
    '/api/v2/claim/components/:hash',
    {
      schema: {
        tags,
        summary: 'The claim of a component, by its hash (404 when it has none)',
        params: HashParams,
        response: { 200: ApiHashComponentIdentifierDTO, ...errorResponses },
      },
      config: { permission: requires('CLAIM_COMPONENT', rootOrganization) },
    },
    async (request) => {
      return getClaim(app.ctx, request.params.hash);
    },
  );

  app.delete(
    '/api/v2/claim/components/:hash',
    {
      schema: {
        tags,
        summary: 'Remove the claim of a component (404 when it has none)',
        params: HashParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'componentClaim.delete', permission: requires('CLAIM_COMPONENT', rootOrganization) },
    },
    async (request, reply) => {
      await deleteClaim(app.ctx, request.params.hash);
      return reply.status(204).send(null);
    },
  );
}
