import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { applyComponentLabel, removeComponentLabel } from '../services/decisions/component-labels-applied.js';
import { errorResponses } from './dto/common.js';
import { ComponentHashParam } from './dto/component.js';

// The reference writes the owner as `{ownerType}s` (applications / organizations): a parameter with
// a fixed suffix, which the router takes as a pattern.
const PATH = '/api/v2/components/:componentHash/labels/:labelName/:ownerType(^(?:application|organization))s/:internalOwnerId';
const tags = ['Components'];
const Params = Type.Object({
  componentHash: ComponentHashParam,
  labelName: Type.String(),
  ownerType: Type.String({ description: 'application or organization' }),
  internalOwnerId: Type.String(),
});

const owner = ownerParams('ownerType', 'internalOwnerId');

export default async function appliedComponentLabelRoutes(app: TollgateApp): Promise<void> {
  // The reference names no permission; applying labels changes what policies see, so it takes
  // Edit IQ Elements on the owner, as defining labels does.
  app.post(
    PATH,
    {
      schema: {
        tags,
        summary: 'Apply a label (defined on the owner or an organization above it) to a component within an application or organization',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'componentLabel.apply', permission: requires('WRITE', owner) },
    },
    async (request, reply) => {
      const { componentHash, labelName } = request.params;
      await applyComponentLabel(app.ctx, await owner.of(request), componentHash, labelName, { username: request.principal!.username });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    PATH,
    {
      schema: {
        tags,
        summary: 'Take a label off a component within an application or organization',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'componentLabel.remove', permission: requires('WRITE', owner) },
    },
    async (request, reply) => {
      const { componentHash, labelName } = request.params;
      await removeComponentLabel(app.ctx, await owner.of(request), componentHash, labelName);
      return reply.status(204).send(null);
    },
  );
}
