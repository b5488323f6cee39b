import { Type } from 'typebox';
import { param, requires, scopeFrom } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { applicableCpeMatching, setCpeMatching } from '../services/policies/cpe-matching.js';
import { errorResponses } from './dto/common.js';

const tags = ['CPE Matching Configuration'];
const Params = Type.Object({
  ownerType: Type.Union([Type.Literal('application'), Type.Literal('organization')]),
  internalOwnerId: Type.String(),
});
// The owner as the path names it (the schema allows application and organization only).
const owner = scopeFrom('owner {ownerType}/{internalOwnerId}', ['ownerType', 'internalOwnerId'], async (_ctx, request) => ({
  type: param(request, 'ownerType') as 'application' | 'organization',
  id: param(request, 'internalOwnerId'),
}));
const CpeMatchingView = Type.Object({
  ownerType: Type.String(),
  ownerId: Type.String(),
  enabled: Type.Boolean(),
  allowOverride: Type.Boolean(),
  inheritedFromOwnerType: Type.Optional(Type.String()),
  inheritedFromOwnerId: Type.Optional(Type.String()),
});

export default async function cpeMatchingRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/:ownerType/:internalOwnerId/configuration/publicSource/cpe',
    {
      schema: {
        tags,
        summary: 'The CPE matching configuration that applies to an organization or application (own or inherited)',
        params: Params,
        response: { 200: CpeMatchingView, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => {
      return applicableCpeMatching(app.ctx, await owner.of(request));
    },
  );
  app.put(
    '/api/v2/:ownerType/:internalOwnerId/configuration/publicSource/cpe',
    {
      schema: {
        tags,
        summary: 'Set the CPE matching configuration of an organization or application',
        params: Params,
        body: Type.Object({ enabled: Type.Optional(Type.Boolean()), allowOverride: Type.Optional(Type.Boolean()) }),
        response: { 200: CpeMatchingView, 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'cpeMatching.update', permission: requires('WRITE', owner) },
    },
    async (request) => {
      return setCpeMatching(app.ctx, await owner.of(request), request.body);
    },
  );
}
