import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { applicableCpeMatching, setCpeMatching } from '../services/cpe-matching.js';
import { errorResponses } from './dto/common.js';

const tags = ['CPE Matching Configuration'];
const Params = Type.Object({
  ownerType: Type.Union([Type.Literal('application'), Type.Literal('organization')]),
  internalOwnerId: Type.String(),
});
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
    },
    async (request) => {
      const owner = { type: request.params.ownerType, id: request.params.internalOwnerId };
      await request.authorize('READ', owner);
      return applicableCpeMatching(app.ctx, owner);
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
      config: { audit: 'cpeMatching.update' },
    },
    async (request) => {
      const owner = { type: request.params.ownerType, id: request.params.internalOwnerId };
      await request.authorize('WRITE', owner);
      return setCpeMatching(app.ctx, owner, request.body);
    },
  );
}
