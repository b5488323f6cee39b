import { Type } from 'typebox';
import { forgetCredentials } from '../http/auth.js';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../services/access/users.js';
import { errorResponses } from './dto/common.js';
import { ApiUserDTO, ApiUserListDTO, ApiUserViewDTO, RealmQuery } from './dto/user.js';

const tags = ['Users'];
const Username = Type.Object({ username: Type.String() });

export default async function userRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/users',
    {
      schema: { tags, summary: 'All users of a realm (passwords excluded)', querystring: RealmQuery, response: { 200: ApiUserListDTO, ...errorResponses } },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return { users: await listUsers(app.ctx, request.query.realm) };
    },
  );

  app.post(
    '/api/v2/users',
    {
      schema: {
        tags,
        summary: 'Create an Internal user (username, password, firstName, lastName and email are required)',
        body: ApiUserDTO,
        response: { 204: Type.Null(), 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'user.create', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await createUser(app.ctx, request.body, { requireProfile: true });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v2/users/:username',
    {
      schema: { tags, summary: 'One user (password excluded)', params: Username, querystring: RealmQuery, response: { 200: ApiUserViewDTO, ...errorResponses } },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return getUser(app.ctx, request.params.username, request.query.realm);
    },
  );

  app.put(
    '/api/v2/users/:username',
    {
      schema: {
        tags,
        summary: "Change an Internal user's names and email; a password in the body sets a new one (Tollgate addition)",
        params: Username,
        body: ApiUserDTO,
        response: { 200: ApiUserViewDTO, ...errorResponses },
      },
      config: { audit: 'user.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      const user = await updateUser(app.ctx, request.params.username, request.body);
      // An old password must stop working at once, not when the credential cache expires.
      forgetCredentials();
      return user;
    },
  );

  app.delete(
    '/api/v2/users/:username',
    {
      schema: {
        tags,
        summary: 'Delete a user with their tokens and role memberships (not the last System Administrator)',
        params: Username,
        querystring: RealmQuery,
        response: { 204: Type.Null(), 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'user.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await deleteUser(app.ctx, request.params.username, request.query.realm);
      forgetCredentials();
      return reply.status(204).send(null);
    },
  );
}
