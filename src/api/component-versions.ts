import { Type } from 'typebox';
import { authenticated } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { RegistryUnavailableError } from '../intel/registries/index.js';
import { componentVersions } from '../services/components/component-versions.js';
import { PlainText, StringList, errorResponses } from './dto/common.js';

/** The reference's ApiComponentOrPurlIdentifierDTOV2. */
const ApiComponentOrPurlIdentifierDTOV2 = Type.Object({
  format: Type.Optional(
    Type.String({ description: 'npm, maven, pypi, cargo, gem, nuget, composer or golang (the formats Tollgate reads a registry for)' }),
  ),
  coordinates: Type.Optional(Type.Record(Type.String(), Type.String())),
  packageUrl: Type.Optional(Type.String()),
});

export default async function componentVersionRoutes(app: TollgateApp): Promise<void> {
  app.post(
    '/api/v2/components/versions',
    {
      schema: {
        tags: ['Components'],
        summary:
          'Every known version of a component, in ascending order, from its registry (npm, Maven Central, PyPI, crates.io, RubyGems, NuGet, Packagist, the Go module proxy)',
        body: ApiComponentOrPurlIdentifierDTOV2,
        response: { 200: StringList, 503: PlainText, ...errorResponses },
      },
      // The reference names no permission: any authenticated caller may ask (registry data is public).
      config: { audit: false, permission: authenticated('registry data, the same for every caller') }, // a read sent as POST
    },
    async (request, reply) => {
      try {
        return await componentVersions(app.ctx, request.body);
      } catch (err) {
        if (!(err instanceof RegistryUnavailableError)) throw err;
        return reply.status(503).type('text/plain; charset=utf-8').send(err.message);
      }
    },
  );
}
