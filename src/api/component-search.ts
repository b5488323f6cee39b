import { Type } from 'typebox';
import { authenticated } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { searchComponents } from '../services/components/component-search.js';
import { ComponentIdentifierDTO } from './dto/component.js';
import { errorResponses } from './dto/common.js';

const SearchResult = Type.Object({
  applicationId: Type.String({ description: "the application's public id" }),
  applicationName: Type.String(),
  reportUrl: Type.String(),
  reportHtmlUrl: Type.String(),
  hash: Type.String(),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  packageUrl: Type.Optional(Type.String()),
  threatLevel: Type.Integer({ description: 'the highest threat level of its open policy violations in that report; 0 for none' }),
  dependencyData: Type.Optional(
    Type.Object({ directDependency: Type.Boolean(), innerSource: Type.Boolean(), parentComponentPurls: Type.Array(Type.String()) }),
  ),
});

const SearchResults = Type.Object({
  criteria: Type.Object({
    stageId: Type.String(),
    hash: Type.Optional(Type.String()),
    packageUrl: Type.Optional(Type.String()),
    componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  }),
  results: Type.Array(SearchResult),
});

export default async function componentSearchRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/search/component',
    {
      schema: {
        tags: ['Component Search'],
        summary: 'Where a component is used: the newest report of the stage of every application the caller may view',
        description: 'Permissions required: View IQ Elements (applications the caller may not view are left out)',
        querystring: Type.Object({
          stageId: Type.Optional(Type.String({ description: 'Required: develop, source, build, stage-release, release or operate' })),
          hash: Type.Optional(Type.String({ description: "the component's SHA-1 (or its first 20 hexadecimal characters)" })),
          componentIdentifier: Type.Optional(
            Type.String({
              description:
                'JSON {"format":"npm","coordinates":{"packageId":"lodash","version":"4.*"}}, or in brackets: componentIdentifier[format]=npm&componentIdentifier[coordinates][packageId]=lodash; * is a wildcard, coordinates left out match anything',
            }),
          ),
          packageUrl: Type.Optional(Type.String()),
        }),
        response: { 200: SearchResults, ...errorResponses },
      },
      config: {
        partial: 'no inner-source data; each report is read whole (no search index)',
        permission: authenticated('searches the applications the caller may READ'),
      },
    },
    async (request) => searchComponents(app.ctx, request.principal!, request.query),
  );
}
