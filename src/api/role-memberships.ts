import { Type } from 'typebox';
import { param, requires, scopeFrom } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { GLOBAL } from '../services/access/access.js';
import {
  applicableMappings,
  checkMember,
  grantRole,
  memberMappings,
  membershipOwner,
  revokeRole,
  setRoleMembers,
} from '../services/access/role-memberships.js';
import { errorResponses } from './dto/common.js';
import { ApiApplicableMembershipMappingsDTO, ApiMemberWithDetailsDTO, ApiRoleMemberMappingListDTO } from './dto/role-membership.js';

const tags = ['Role Memberships'];
const BASE = '/api/v2/roleMemberships';
const REPOSITORIES = 'repository owner types (Tollgate has no Firewall repositories)';

const OwnerType = Type.String({ description: 'global, organization or application (repository types are not supported)' });
const GlobalOwner = Type.Object({ ownerType: OwnerType });
const SpecificOwner = Type.Object({ ownerType: OwnerType, internalOwnerId: Type.String() });
const MemberPath = { roleId: Type.String(), memberType: Type.String({ description: 'USER or GROUP' }), memberName: Type.String() };

/**
 * The owner a route names. Routes without an owner id name the global owner ({ownerType} must be
 * global), and their memberships need CONFIGURE_SYSTEM; routes with one name an organization or
 * application (by id or public id), whose memberships need READ to view and EDIT_ACCESS_CONTROL to
 * change.
 */
const globalOwner = scopeFrom(
  'global ({ownerType} must be global)',
  ['ownerType'],
  (ctx, request) => membershipOwner(ctx, param(request, 'ownerType')),
  () => GLOBAL,
);
const namedOwner = scopeFrom(
  'owner {ownerType}/{internalOwnerId}',
  ['ownerType', 'internalOwnerId'],
  (ctx, request) => membershipOwner(ctx, param(request, 'ownerType'), param(request, 'internalOwnerId')),
  (owner) => (owner.type === 'global' ? GLOBAL : { type: owner.type, id: owner.id }),
);
const onGlobal = requires('CONFIGURE_SYSTEM', globalOwner);
const view = requires('READ', namedOwner);
const change = requires('EDIT_ACCESS_CONTROL', namedOwner);

export default async function roleMembershipRoutes(app: TollgateApp): Promise<void> {
  const mappingsResponse = { 200: ApiRoleMemberMappingListDTO, ...errorResponses };
  const applicableResponse = { 200: ApiApplicableMembershipMappingsDTO, ...errorResponses };
  const changed = { 204: Type.Null(), 409: Type.String(), ...errorResponses };

  // Global (and, in the reference, repository container) context.
  app.get(
    `${BASE}/:ownerType`,
    { schema: { tags, summary: 'Who holds which role globally', params: GlobalOwner, response: mappingsResponse }, config: { partial: REPOSITORIES, permission: onGlobal } },
    async (request) => {
      return memberMappings(app.ctx, await globalOwner.of(request));
    },
  );

  app.get(
    `${BASE}/:ownerType/roles`,
    { schema: { tags, summary: 'Every role with its global members, in detail', params: GlobalOwner, response: applicableResponse }, config: { partial: REPOSITORIES, permission: onGlobal } },
    async (request) => {
      return applicableMappings(app.ctx, await globalOwner.of(request));
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
      config: { audit: 'roleMembership.set', partial: REPOSITORIES, permission: onGlobal },
    },
    async (request, reply) => {
      await setRoleMembers(app.ctx, await globalOwner.of(request), request.params.roleId, request.body.map((m) => checkMember(m.type, m.internalName)));
      return reply.status(204).send(null);
    },
  );

  app.put(
    `${BASE}/:ownerType/role/:roleId/:memberType/:memberName`,
    {
      schema: { tags, summary: 'Grant a role globally', params: Type.Object({ ownerType: OwnerType, ...MemberPath }), response: changed },
      config: { audit: 'roleMembership.grant', partial: REPOSITORIES, permission: onGlobal },
    },
    async (request, reply) => {
      const { roleId, memberType, memberName } = request.params;
      await grantRole(app.ctx, await globalOwner.of(request), roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${BASE}/:ownerType/role/:roleId/:memberType/:memberName`,
    {
      schema: { tags, summary: 'Revoke a global role (never from the last System Administrator)', params: Type.Object({ ownerType: OwnerType, ...MemberPath }), response: changed },
      config: { audit: 'roleMembership.revoke', partial: REPOSITORIES, permission: onGlobal },
    },
    async (request, reply) => {
      const { roleId, memberType, memberName } = request.params;
      await revokeRole(app.ctx, await globalOwner.of(request), roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );

  // Organizations and applications (applications by internal or public id).
  app.get(
    `${BASE}/:ownerType/:internalOwnerId`,
    {
      schema: { tags, summary: 'Who holds which role on an organization or application, including through parent organizations', params: SpecificOwner, response: mappingsResponse },
      config: { permission: view },
    },
    async (request) => {
      return memberMappings(app.ctx, await namedOwner.of(request));
    },
  );

  app.get(
    `${BASE}/:ownerType/:internalOwnerId/roles`,
    {
      schema: { tags, summary: 'Every role with its members on an owner and its parents, grouped by owner', params: SpecificOwner, response: applicableResponse },
      config: { partial: REPOSITORIES, permission: view },
    },
    async (request) => {
      return applicableMappings(app.ctx, await namedOwner.of(request));
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
      config: { audit: 'roleMembership.set', partial: REPOSITORIES, permission: change },
    },
    async (request, reply) => {
      await setRoleMembers(app.ctx, await namedOwner.of(request), request.params.roleId, request.body.map((m) => checkMember(m.type, m.internalName)));
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
      config: { audit: 'roleMembership.grant', partial: 'validateMember cannot check groups: Tollgate has no group directory', permission: change },
    },
    async (request, reply) => {
      const { roleId, memberType, memberName } = request.params;
      await grantRole(app.ctx, await namedOwner.of(request), roleId, checkMember(memberType, memberName));
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
      config: { audit: 'roleMembership.revoke', permission: change },
    },
    async (request, reply) => {
      const { roleId, memberType, memberName } = request.params;
      await revokeRole(app.ctx, await namedOwner.of(request), roleId, checkMember(memberType, memberName));
      return reply.status(204).send(null);
    },
  );
}
