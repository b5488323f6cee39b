import { Type } from 'typebox';
import { API_TYPES, type ApiType, openApiDocument } from '../http/openapi.js';
import type { TollgateApp } from '../http/types.js';
import { errorResponses } from './dto/common.js';

export default async function endpointRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/endpoints/:apiType',
    {
      schema: {
        tags: ['Endpoints'],
        summary: 'The OpenAPI 3 document of the public or the experimental operations (what /swagger-ui shows)',
        description: 'Permissions required: None; no authentication needed, like the Swagger UI that loads it.',
        params: Type.Object({ apiType: Type.Unsafe<ApiType>({ type: 'string', enum: [...API_TYPES] }) }),
        // The reference declares the document as a string; it is sent as the JSON document itself.
        response: { 200: Type.Unknown({ description: 'an OpenAPI 3.0 document' }), 400: errorResponses[400] },
      },
      config: { public: true },
    },
    async (request) => openApiDocument(app, request.params.apiType),
  );
}
