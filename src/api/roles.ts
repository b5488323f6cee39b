import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { createRole, deleteRole, getRole, listRoles, newRoleTemplate, updateRole } from '../services/access/roles.js';
import { errorResponses } from './dto/common.js';
import { ApiRoleDTO, ApiRoleListDTO } from './dto/role.js';

const tags = ['Roles'];
const RoleId = Type.Object({ roleId: Type.String() });

export default async function roleRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/roles',
    {
      schema: { tags, summary: 'All roles, built-in and custom, with their permissions', response: { 200: ApiRoleListDTO, ...errorResponses } },
      config: { permission: requires('VIEW_ROLES') },
    },
    async () => {
      return { roles: await listRoles(app.ctx) };
    },
  );

  app.post(
    '/api/v2/roles',
    {
      schema: {
        tags,
        summary: 'Create a custom role; permissions marked allowed are granted',
        body: ApiRoleDTO,
        response: { 200: ApiRoleDTO, 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'role.create', permission: requires('EDIT_ROLES') },
    },
    async (request) => {
      return createRole(app.ctx, request.body);
    },
  );

  app.get(
    '/api/v2/roles/new',
    {
      schema: { tags, summary: 'A template for a new custom role: every permission category, nothing allowed', response: { 200: ApiRoleDTO, ...errorResponses } },
      config: { permission: requires('EDIT_ROLES') },
    },
    async () => {
      return newRoleTemplate();
    },
  );

  app.get(
    '/api/v2/roles/:roleId',
    {
      schema: { tags, summary: 'One role with its permissions', params: RoleId, response: { 200: ApiRoleDTO, ...errorResponses } },
      config: { permission: requires('VIEW_ROLES') },
    },
    async (request) => {
      return getRole(app.ctx, request.params.roleId);
    },
  );

  app.put(
    '/api/v2/roles/:roleId',
    {
      schema: {
        tags,
        summary: 'Change a custom role (built-in roles cannot change); permissionCategories, when given, replaces its permissions',
        params: RoleId,
        body: ApiRoleDTO,
        response: { 200: ApiRoleDTO, 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'role.update', permission: requires('EDIT_ROLES') },
    },
    async (request) => {
      return updateRole(app.ctx, request.params.roleId, request.body);
    },
  );

  app.delete(
    '/api/v2/roles/:roleId',
    {
      schema: { tags, summary: 'Delete a custom role and every membership of it', params: RoleId, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'role.delete', permission: requires('EDIT_ROLES') },
    },
    async (request, reply) => {
      await deleteRole(app.ctx, request.params.roleId);
      return reply.status(204).send(null);
    },
  );
}
