import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { ValidationError } from '../core/errors.js';
import {
  type MembershipOwner,
  applicableMappings,
  checkMember,
  grantRole,
  memberMappings,
  resolveMembershipOwner,
  revokeRole,
  setRoleMembers,
} from '../services/role-memberships.js';
import { errorResponses } from './dto/common.js';
import { ApiApplicableMembershipMappingsDTO, ApiMemberWithDetailsDTO, ApiRoleMemberMappingListDTO } from './dto/role-membership.js';

const tags = ['Role Memberships'];
const BASE = '/api/v2/roleMemberships';
const REPOSITORIES = 'repository owner types (Tollgate has no Firewall repositories)';

const OwnerType = Type.String({ description: 'global, organization or application (repository types are not supported)' });
const GlobalOwner = Type.Object({ ownerType: OwnerType });
const SpecificOwner = Type.Object({ ownerType: OwnerType, internalOwnerId: Type.String() });
const MemberPath = { roleId: Type.String(), memberType: Type.String({ description: 'USER or GROUP' }), memberName: Type.String() };

/** The owner a route names; routes with an owner id are for organizations and applications only. */
async function ownerOf(app: TollgateApp, ownerType: string, internalOwnerId?: string): Promise<MembershipOwner> {
  if (internalOwnerId !== undefined && ownerType === 'global') {
    throw new ValidationError(`global role memberships have no owner id: use ${BASE}/global`);
  }
  return resolveMembershipOwner(app.ctx.store, ownerType, internalOwnerId);
}

/** Global memberships need CONFIGURE_SYSTEM; on an owner, READ to view and EDIT_ACCESS_CONTROL to change. */
async function authorizeOn(request: FastifyRequest, owner: MembershipOwner, change: boolean): Promise<void> {
  if (owner.type === 'global') return request.authorize('CONFIGURE_SYSTEM');
  return request.authorize(change ? 'EDIT_ACCESS_CONTROL' : 'READ', { type: owner.type, id: owner.id });
}

export default async function roleMembershipRoutes(app: TollgateApp): Promise<void> {
  const mappingsResponse = { 200: ApiRoleMemberMappingListDTO, ...errorResponses };
  const applicableResponse = { 200: ApiApplicableMembershipMappingsDTO, ...errorResponses };
  const changed = { 204: Type.Null(), 409: Type.String(), ...errorResponses };

  // Global (and, in the reference, repository container) context.
  app.get(
    `${BASE}/:ownerType`,
    { schema: { tags, summary: 'Who holds which role globally', params: GlobalOwner, response: mappingsResponse }, config: { partial: REPOSITORIES } },
    async (request) => {
      const owner = await ownerOf(app, request.params.ownerType);
      await authorizeOn(request, owner, false);
      return memberMappings(app.ctx, owner);
    },
  );

  app.get(
    `${BASE}/:ownerType/roles`,
    { schema: { tags, summary: 'Every role with its global members, in detail', params: GlobalOwner, response: applicableResponse }, config: { partial: REPOSITORIES } },
    async (request) => {
      const owner = await ownerOf(app, request.params.ownerType);
      await authorizeOn(request, owner, false);
      return applicableMappings(app.ctx, owner);
    },
  );

  app.put(
    `${BASE}/:ownerType/role/:roleId/members`,
    {
      schema: {
        tags,
        summary: 'Replace every global member of a role (an empty list removes them all)',
        params: Type.Object({ ownerType: OwnerType, roleId: Type.String() }),
        body: Type.Array(ApiMemberWithDetailsDTO),
        response: changed,
      },
      config: { audit: 'roleMembership.set', partial: REPOSITORIES },
    },
    async (request, reply) => {
      const owner = await ownerOf(app, request.params.ownerType);
      await authorizeOn(request, owner, true);
      await setRoleMembers(app.ctx, owner, request.params.roleId, request.body.map((m) => checkMember(m.type, m.internalName)));
      return reply.status(204).send(null);
    },
  );

  app.put(
    `${BASE}/:ownerType/role/:roleId/:memberType/:memberName`,
    {
      schema: { tags, summary: 'Grant a role globally', params: Type.Object({ ownerType: OwnerType, ...MemberPath }), response: changed },
      config: { audit: 'roleMembership.grant', partial: REPOSITORIES },
    },
    async (request, reply) => {
      const { ownerType, roleId, memberType, memberName } = request.params;
      const owner = await ownerOf(app, ownerType);
      await authorizeOn(request, owner, true);
      await grantRole(app.ctx, owner, roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${BASE}/:ownerType/role/:roleId/:memberType/:memberName`,
    {
      schema: { tags, summary: 'Revoke a global role (never from the last System Administrator)', params: Type.Object({ ownerType: OwnerType, ...MemberPath }), response: changed },
      config: { audit: 'roleMembership.revoke', partial: REPOSITORIES },
    },
    async (request, reply) => {
      const { ownerType, roleId, memberType, memberName } = request.params;
      const owner = await ownerOf(app, ownerType);
      await authorizeOn(request, owner, true);
      await revokeRole(app.ctx, owner, roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );

  // Organizations and applications (applications by internal or public id).
  app.get(
    `${BASE}/:ownerType/:internalOwnerId`,
    {
      schema: { tags, summary: 'Who holds which role on an organization or application, including through parent organizations', params: SpecificOwner, response: mappingsResponse },
    },
    async (request) => {
      const owner = await ownerOf(app, request.params.ownerType, request.params.internalOwnerId);
      await authorizeOn(request, owner, false);
      return memberMappings(app.ctx, owner);
    },
  );

  app.get(
    `${BASE}/:ownerType/:internalOwnerId/roles`,
    {
      schema: { tags, summary: 'Every role with its members on an owner and its parents, grouped by owner', params: SpecificOwner, response: applicableResponse },
      config: { partial: REPOSITORIES },
    },
    async (request) => {
      const owner = await ownerOf(app, request.params.ownerType, request.params.internalOwnerId);
      await authorizeOn(request, owner, false);
      return applicableMappings(app.ctx, owner);
    },
  );

  app.put(
    `${BASE}/:ownerType/:internalOwnerId/role/:roleId/members`,
    {
      schema: {
        tags,
        summary: 'Replace every member of a role on an organization or application (an empty list removes them all)',
        params: Type.Object({ ownerType: OwnerType, internalOwnerId: Type.String(), roleId: Type.String() }),
        body: Type.Array(ApiMemberWithDetailsDTO),
        response: changed,
      },
      config: { audit: 'roleMembership.set', partial: REPOSITORIES },
    },
    async (request, reply) => {
      const owner = await ownerOf(app, request.params.ownerType, request.params.internalOwnerId);
      await authorizeOn(request, owner, true);
      await setRoleMembers(app.ctx, owner, request.params.roleId, request.body.map((m) => checkMember(m.type, m.internalName)));
      return reply.status(204).send(null);
    },
  );

  app.put(
    `${BASE}/:ownerType/:internalOwnerId/role/:roleId/:memberType/:memberName`,
    {
      schema: {
        tags,
        summary: 'Grant a role on an organization or application (users are always checked to exist)',
        params: Type.Object({ ownerType: OwnerType, internalOwnerId: Type.String(), ...MemberPath }),
        querystring: Type.Object({ validateMember: Type.Optional(Type.Boolean({ default: false })) }),
        response: changed,
      },
      config: { audit: 'roleMembership.grant', partial: 'validateMember cannot check groups: Tollgate has no group directory' },
    },
    async (request, reply) => {
      const { ownerType, internalOwnerId, roleId, memberType, memberName } = request.params;
      const owner = await ownerOf(app, ownerType, internalOwnerId);
      await authorizeOn(request, owner, true);
      await grantRole(app.ctx, owner, roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${BASE}/:ownerType/:internalOwnerId/role/:roleId/:memberType/:memberName`,
    {
      schema: {
        tags,
        summary: 'Revoke a role on an organization or application',
        params: Type.Object({ ownerType: OwnerType, internalOwnerId: Type.String(), ...MemberPath }),
        response: changed,
      },
      config: { audit: 'roleMembership.revoke' },
    },
    async (request, reply) => {
      const { ownerType, internalOwnerId, roleId, memberType, memberName } = request.params;
      const owner = await ownerOf(app, ownerType, internalOwnerId);
      await authorizeOn(request, owner, true);
      await revokeRole(app.ctx, owner, roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );
}
