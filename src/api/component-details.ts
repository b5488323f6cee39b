import { authenticated } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { componentDetails } from '../services/components/component-details.js';
import { errorResponses } from './dto/common.js';
import { ApiComponentDetailsRequestDTOV2, ApiComponentDetailsResultDTOV2 } from './dto/component-details.js';

export default async function componentDetailsRoutes(app: TollgateApp): Promise<void> {
  app.post(
    '/api/v2/components/details',
    {
      schema: {
        tags: ['Components'],
        summary: 'Identity, vulnerabilities, release date and declared licenses of components named by identifier, package URL or hash',
        body: ApiComponentDetailsRequestDTOV2,
        response: { 200: ApiComponentDetailsResultDTOV2, ...errorResponses },
      },
      config: {
        partial: 'no relativePopularity, hygiene or integrity ratings, project data or policy data; observed licenses unknown (declared ones from the registry: npm, Maven Central, PyPI, crates.io, RubyGems, NuGet, Packagist; Go modules from deps.dev)',
        audit: false, // a read sent as POST
        // The reference names no permission: any authenticated caller may ask (the data is public).
        permission: authenticated('public component data, the same for every caller'),
      },
    },
    async (request) => componentDetails(app.ctx, request.body),
  );
}
