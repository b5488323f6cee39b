import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { PRODUCT_VERSION } from '../version.js';

/** Tollgate's own OpenAPI document, generated from the route schemas, and the Swagger UI. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tollgate REST API',
        description: 'The Sonatype Lifecycle (IQ Server) public REST API as Tollgate implements it, and Tollgate’s own operations (marked x-tollgate).',
        version: PRODUCT_VERSION,
      },
      components: { securitySchemes: { BasicAuth: { type: 'http', scheme: 'basic' } } },
      security: [{ BasicAuth: [] }],
    },
    transform: ({ schema, url, route }) => {
      const transformed = { ...(schema ?? {}) } as Record<string, unknown>;
      if (route.config && (route.config as { tollgate?: boolean }).tollgate) transformed['x-tollgate'] = true;
      return { schema: transformed as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/swagger-ui', uiConfig: { docExpansion: 'none', deepLinking: true } });
}
