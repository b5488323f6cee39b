import { Type } from 'typebox';
import { forgetCredentials } from '../http/auth.js';
import { authenticated, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { NotFoundError } from '../core/errors.js';
import {
  createUserToken,
  deleteTokenByUserCode,
  deleteTokensOf,
  findUserToken,
  getUserToken,
  listUserTokens,
  purgeLdapTokens,
} from '../services/access/user-tokens.js';
import { getUserTokenConfiguration, resetUserTokenConfiguration, updateUserTokenConfiguration } from '../services/access/user-token-config.js';
import { errorResponses } from './dto/common.js';
import { ApiUserTokenConfigurationDTO, ApiUserTokenConfigurationInput, ApiUserTokenDTO, ApiUserTokenExistsDTO } from './dto/user-token.js';

const tags = ['User Tokens'];
const configTags = ['User Token Configuration'];
const OWN_TOKEN = authenticated("the caller's own token");
const Realm = Type.Optional(Type.String({ description: 'Internal (default), SAML, OAUTH2 or Crowd' }));

/** The caller's own token needs no permission; anyone else's, and the configuration, need CONFIGURE_SYSTEM. */
export default async function userTokenRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/userTokens',
    {
      schema: {
        tags,
        summary: 'Tokens created in a date range (yyyy-mm-dd; createdBefore excludes its own day), without pass codes',
        querystring: Type.Object({ createdAfter: Type.Optional(Type.String()), createdBefore: Type.Optional(Type.String()), realm: Realm }),
        response: { 200: Type.Array(ApiUserTokenDTO), ...errorResponses },
      },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return listUserTokens(app.ctx, request.query);
    },
  );

  app.post(
    '/api/v2/userTokens/currentUser',
    {
      schema: { tags, summary: "A new token for the caller, replacing their old one; the pass code is shown only here", response: { 200: ApiUserTokenDTO, ...errorResponses } },
      config: { audit: 'userToken.create', permission: OWN_TOKEN },
    },
    async (request) => {
      const token = await createUserToken(app.ctx, request.principal!.username);
      forgetCredentials();
      return token;
    },
  );

  app.delete(
    '/api/v2/userTokens/currentUser',
    {
      schema: { tags, summary: "Delete the caller's token", response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'userToken.delete', permission: OWN_TOKEN },
    },
    async (request, reply) => {
      const username = request.principal!.username;
      if (!(await deleteTokensOf(app.ctx, username))) throw new NotFoundError(`User ${username} has no user token`);
      forgetCredentials();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v2/userTokens/currentUser/createTime',
    {
      schema: { tags, summary: "When the caller's token was created (ISO-8601, a JSON string)", response: { 200: Type.String(), ...errorResponses } },
      config: { permission: OWN_TOKEN },
    },
    async (request, reply) => {
      const username = request.principal!.username;
      const token = await findUserToken(app.ctx, username);
      if (!token) throw new NotFoundError(`User ${username} has no user token`);
      // The reference answers with a JSON string, not plain text.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(token.createTime));
    },
  );

  app.get(
    '/api/v2/userTokens/currentUser/hasToken',
    {
      schema: { tags, summary: 'Whether the caller has a token', response: { 200: ApiUserTokenExistsDTO, ...errorResponses } },
      config: { permission: OWN_TOKEN },
    },
    async (request) => ({ userTokenExists: (await findUserToken(app.ctx, request.principal!.username)) !== undefined }),
  );

  app.delete(
    '/api/v2/userTokens/purge',
    {
      schema: { tags, summary: 'Delete the tokens of all LDAP users', response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'userToken.purge', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await purgeLdapTokens(app.ctx);
      forgetCredentials();
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v2/userTokens/userCode/:userCode',
    {
      schema: { tags, summary: 'Delete any user’s token by its user code', params: Type.Object({ userCode: Type.String() }), response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'userToken.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await deleteTokenByUserCode(app.ctx, request.params.userCode);
      forgetCredentials();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v2/userTokens/:username',
    {
      schema: {
        tags,
        summary: "A user's token (without its pass code)",
        params: Type.Object({ username: Type.String() }),
        querystring: Type.Object({ realm: Realm }),
        response: { 200: ApiUserTokenDTO, ...errorResponses },
      },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return getUserToken(app.ctx, request.params.username, request.query.realm);
    },
  );

  // User Token Configuration
  app.get(
    '/api/v2/config/userTokens',
    {
      schema: { tags: configTags, summary: 'User token configuration (no userTokenDefaultExpirationDays: tokens never expire)', response: { 200: ApiUserTokenConfigurationDTO, ...errorResponses } },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => {
      return getUserTokenConfiguration(app.ctx);
    },
  );

  app.put(
    '/api/v2/config/userTokens',
    {
      schema: {
        tags: configTags,
        summary: 'Change user token configuration; null values leave a property unchanged. Applies to tokens created afterwards',
        body: ApiUserTokenConfigurationInput,
        response: { 200: ApiUserTokenConfigurationDTO, ...errorResponses },
      },
      config: { audit: 'config.userTokens.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return updateUserTokenConfiguration(app.ctx, request.body as Record<string, unknown>);
    },
  );

  app.delete(
    '/api/v2/config/userTokens',
    {
      schema: {
        tags: configTags,
        summary: 'Reset the named properties (?property=…) to the system default',
        querystring: Type.Object({ property: Type.Optional(Type.Array(Type.String())) }),
        response: { 200: ApiUserTokenConfigurationDTO, ...errorResponses },
      },
      config: { audit: 'config.userTokens.reset', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request) => {
      return resetUserTokenConfiguration(app.ctx, request.query.property);
    },
  );
}
