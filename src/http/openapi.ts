import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../core/errors.js';
import { isFeatureEnabled } from '../services/admin/features.js';
import { PRODUCT_VERSION } from '../version.js';

/** The two kinds of API the reference product documents, each in its own OpenAPI document. */
export const API_TYPES = ['public', 'experimental'] as const;
export type ApiType = (typeof API_TYPES)[number];

/** Where each document is served (the reference's GET /api/v2/endpoints/{apiType}). */
const openApiPath = (type: ApiType) => `/api/v2/endpoints/${type}`;

/** Marks experimental operations in the generated document until it is split in two. */
const EXPERIMENTAL_MARK = 'x-tollgate-experimental';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * An OpenAPI 3 document as @fastify/swagger generates it, in the parts the split reads: `info`
 * and the path items; everything else is passed on as it is.
 */
export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; description?: string; [field: string]: unknown };
  paths?: Record<string, PathItem>;
  [field: string]: unknown;
}
/** Operations under their method's name, and path-level fields (parameters, summary …). */
type PathItem = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Tollgate's OpenAPI documents, generated from the route schemas, and the Swagger UI offering the
 * Public and the Experimental one. Tollgate's own operations carry `x-tollgate: true`.
 */
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
      const config = (route.config ?? {}) as { tollgate?: boolean; experimental?: boolean };
      if (config.tollgate) transformed['x-tollgate'] = true;
      if (config.experimental) transformed[EXPERIMENTAL_MARK] = true;
      return { schema: transformed as never, url };
    },
  });

  await app.register(swaggerUi, {
    routePrefix: '/swagger-ui',
    uiConfig: {
      docExpansion: 'none',
      deepLinking: true,
      // A definition selector: the Public and the Experimental tab of the reference product's API page.
      urls: [
        { url: openApiPath('public'), name: 'Public' },
        { url: openApiPath('experimental'), name: 'Experimental' },
      ],
      'urls.primaryName': 'Public',
    } as Record<string, unknown>,
    uiHooks: {
      onRequest: async () => {
        if (!(await isFeatureEnabled(app.ctx.store.db, 'swagger-ui'))) {
          throw new NotFoundError('The Swagger UI is disabled: an administrator can enable it with POST /api/v2/config/features/swagger-ui.');
        }
      },
    },
  });

  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.config?.experimental) return;
    if (!(await isFeatureEnabled(app.ctx.store.db, 'experimental-api'))) {
      throw new NotFoundError(
        `${request.method} ${request.url.split('?')[0]} is an experimental operation and experimental operations are disabled on this server ` +
          '(feature experimental-api).',
      );
    }
  });
}

const documents = new WeakMap<FastifyInstance, Record<ApiType, OpenApiDocument>>();

/** Splits the generated document: experimental operations in one, every other operation in the other. */
function splitOpenApi(full: OpenApiDocument): Record<ApiType, OpenApiDocument> {
  const out = {} as Record<ApiType, OpenApiDocument>;
  for (const type of API_TYPES) {
    const paths: Record<string, PathItem> = {};
    for (const [path, item] of Object.entries(full.paths ?? {})) {
      const kept: PathItem = {};
      for (const [key, value] of Object.entries(item)) {
        if (!METHODS.includes(key) || !isObject(value)) {
          kept[key] = value; // path-level parameters, summary …
          continue;
        }
        if (Boolean(value[EXPERIMENTAL_MARK]) !== (type === 'experimental')) continue;
        const { [EXPERIMENTAL_MARK]: _mark, ...operation } = value;
        kept[key] = operation;
      }
      if (Object.keys(kept).some((k) => METHODS.includes(k))) paths[path] = kept;
    }
    const label = type === 'public' ? 'Public' : 'Experimental';
    out[type] = {
      ...full,
      info: {
        ...full.info,
        title: `${full.info?.title ?? 'Tollgate REST API'} (${label})`,
        description:
          type === 'public'
            ? full.info?.description
            : 'Experimental operations: evolving, may change, not for critical workloads (the experimental-api feature switches them off).',
      },
      paths,
    };
  }
  return out;
}

/** The Public or the Experimental OpenAPI document of a ready app (computed once). */
export function openApiDocument(app: FastifyInstance, type: ApiType): OpenApiDocument {
  let split = documents.get(app);
  if (!split) {
    split = splitOpenApi(app.swagger() as OpenApiDocument);
    documents.set(app, split);
  }
  return split[type];
}
