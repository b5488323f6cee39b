import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { applyComponentLabel, removeComponentLabel } from '../services/component-labels-applied.js';
import { type Owner, resolveOwner } from '../services/owners/owner.js';
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

export default async function appliedComponentLabelRoutes(app: TollgateApp): Promise<void> {
  // The reference names no permission; applying labels changes what policies see, so it takes
  // Edit IQ Elements on the owner, as defining labels does.
  async function owner(request: FastifyRequest, params: { ownerType: string; internalOwnerId: string }): Promise<Owner> {
    const resolved = await resolveOwner(app.ctx.store, params.ownerType, params.internalOwnerId);
    await request.authorize('WRITE', { type: resolved.type, id: resolved.id });
    return resolved;
  }

  app.post(
    PATH,
    {
      schema: {
        tags,
        summary: 'Apply a label (defined on the owner or an organization above it) to a component within an application or organization',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'componentLabel.apply' },
    },
    async (request, reply) => {
      const { componentHash, labelName } = request.params;
      await applyComponentLabel(app.ctx, await owner(request, request.params), componentHash, labelName, { username: request.principal!.username });
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
      config: { audit: 'componentLabel.remove' },
    },
    async (request, reply) => {
      const { componentHash, labelName } = request.params;
      await removeComponentLabel(app.ctx, await owner(request, request.params), componentHash, labelName);
      return reply.status(204).send(null);
    },
  );
}
