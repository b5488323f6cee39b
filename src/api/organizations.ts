import { Type } from 'typebox';
import { ROOT_ORGANIZATION_ID } from '../core/ids.js';
import { allOf, authenticated, organizationParam, requires, scopeFrom } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access/access.js';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  moveOrganization,
} from '../services/owners/organizations.js';
import { RepeatedQuery, errorResponses } from './dto/common.js';
import { ApiOrganizationDTO, ApiOrganizationListDTO, MoveOrganizationResponseDTO } from './dto/organization.js';

const tags = ['Organizations'];
const OrganizationId = Type.Object({ organizationId: Type.String() });
const LISTED = 'lists the organizations the caller may READ';
/** A new organization's parent: the one the body names, else the root. */
const parentInBody = scopeFrom('the parent organization the body names (default: root)', [], async (_ctx, request) => ({
  type: 'organization' as const,
  id: (request.body as { parentOrganizationId?: string }).parentOrganizationId || ROOT_ORGANIZATION_ID,
}));

export default async function organizationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/organizations',
    {
      schema: {
        tags,
        summary: 'Organizations with the given names, or all the caller may view',
        querystring: Type.Object({ organizationName: RepeatedQuery }),
        response: { 200: ApiOrganizationListDTO, ...errorResponses },
      },
      config: { permission: authenticated(LISTED) },
    },
    async (request) => {
      const { organizations: visible } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      return { organizations: await listOrganizations(app.ctx, { names: request.query.organizationName, visible }) };
    },
  );

  app.get(
    '/api/v2/organizations/byid',
    {
      schema: {
        tags,
        summary: 'Organizations by internal id',
        querystring: Type.Object({ id: RepeatedQuery }),
        response: { 200: ApiOrganizationListDTO, ...errorResponses },
      },
      config: { permission: authenticated(LISTED) },
    },
    async (request) => {
      const { organizations: visible } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      const ids = request.query.id ?? [];
      const organizations = ids.length ? await listOrganizations(app.ctx, { ids, visible }) : [];
      return { organizations: organizations.map(({ tags: _tags, ...rest }) => rest) };
    },
  );

  app.post(
    '/api/v2/organizations',
    {
      schema: {
        tags,
        summary: 'Create an organization (under the root organization unless a parent is given)',
        body: ApiOrganizationDTO,
        response: { 200: ApiOrganizationDTO, 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'organization.create', permission: requires('WRITE', parentInBody) },
    },
    async (request) => createOrganization(app.ctx, request.body),
  );

  app.get(
    '/api/v2/organizations/:organizationId',
    {
      schema: { tags, summary: 'One organization', params: OrganizationId, response: { 200: ApiOrganizationDTO, ...errorResponses } },
      config: { permission: requires('READ', organizationParam('organizationId')) },
    },
    async (request) => {
      return getOrganization(app.ctx, request.params.organizationId);
    },
  );

  app.delete(
    '/api/v2/organizations/:organizationId',
    {
      schema: {
        tags,
        summary: 'Delete an organization that has no child organizations and no applications',
        params: OrganizationId,
        response: { 204: Type.Null(), 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'organization.delete', permission: requires('WRITE', organizationParam('organizationId')) },
    },
    async (request, reply) => {
      await deleteOrganization(app.ctx, request.params.organizationId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v2/organizations/:organizationId/move/destination/:destinationId',
    {
      schema: {
        tags,
        summary: 'Move an organization under another parent',
        params: Type.Object({ organizationId: Type.String(), destinationId: Type.String() }),
        querystring: Type.Object({ failEarlyOnError: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: MoveOrganizationResponseDTO, 409: MoveOrganizationResponseDTO, ...errorResponses },
      },
      config: {
        audit: 'organization.move',
        permission: allOf(requires('WRITE', organizationParam('organizationId')), requires('WRITE', organizationParam('destinationId'))),
      },
    },
    async (request, reply) => {
      const { organizationId, destinationId } = request.params;
      const result = await moveOrganization(app.ctx, organizationId, destinationId);
      return reply.status(result.errors.length ? 409 : 200).send(result);
    },
  );
}
