import { Type } from 'typebox';
import { GLOBAL_SCOPE, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import {
  getSystemConfig,
  needsConfigurePermission,
  removeSystemProperties,
  requestedProperties,
  updateSystemConfig,
} from '../services/admin/system-config.js';
import { RepeatedQuery, errorResponses } from './dto/common.js';
import { CacheInvalidationResponse, SystemConfig } from './dto/configuration.js';

const tags = ['Configuration'];
const PropertyQuery = Type.Object({ property: RepeatedQuery });

export default async function configurationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/config',
    {
      schema: {
        tags,
        summary: 'System properties (all when none is named); unset ones are null',
        description:
          'Permissions required: Edit System Configuration and Users, except baseUrl, which any authenticated user may read.',
        querystring: PropertyQuery,
        response: { 200: SystemConfig, ...errorResponses },
      },
      config: {
        permission: requires('CONFIGURE_SYSTEM', GLOBAL_SCOPE, {
          unless: {
            describe: 'only baseUrl, which any authenticated user may read, is asked for',
            test: (request) => !needsConfigurePermission(requestedProperties((request.query as { property?: string[] }).property)),
          },
        }),
      },
    },
    async (request) => getSystemConfig(app.ctx, requestedProperties(request.query.property)),
  );

  app.put(
    '/api/v2/config',
    {
      schema: {
        tags,
        summary: 'Set system properties (a null value removes one)',
        description: 'Permissions required: Edit System Configuration and Users',
        body: SystemConfig,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await updateSystemConfig(app.ctx, request.body as Record<string, unknown>);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v2/config',
    {
      schema: {
        tags,
        summary: 'Remove the named system properties',
        description: 'Permissions required: Edit System Configuration and Users',
        querystring: PropertyQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.remove', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await removeSystemProperties(app.ctx, request.query.property);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v2/config/integrationVersions/cache',
    {
      schema: {
        tags,
        summary: 'Clear the integration version cache (Tollgate keeps none, so nothing is invalidated)',
        description: 'Permissions required: Edit System Configuration and Users',
        response: { 200: CacheInvalidationResponse, ...errorResponses },
      },
      config: { audit: 'config.integrationVersionsCache.clear', permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => {
      // Tollgate does not look up integration (plugin) versions, so there is no cache to clear.
      return { entriesInvalidated: 0 };
    },
  );
}
