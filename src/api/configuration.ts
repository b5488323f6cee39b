import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import {
  getSystemConfig,
  needsConfigurePermission,
  removeSystemProperties,
  requestedProperties,
  updateSystemConfig,
} from '../services/system-config.js';
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
    },
    async (request) => {
      const properties = requestedProperties(request.query.property);
      if (needsConfigurePermission(properties)) await request.authorize('CONFIGURE_SYSTEM');
      return getSystemConfig(app.ctx, properties);
    },
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
      config: { audit: 'config.update' },
    },
    async (request, reply) => {
      await request.authorize('CONFIGURE_SYSTEM');
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
      config: { audit: 'config.remove' },
    },
    async (request, reply) => {
      await request.authorize('CONFIGURE_SYSTEM');
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
      config: { audit: 'config.integrationVersionsCache.clear' },
    },
    async (request) => {
      await request.authorize('CONFIGURE_SYSTEM');
      // Tollgate does not look up integration (plugin) versions, so there is no cache to clear.
      return { entriesInvalidated: 0 };
    },
  );
}
