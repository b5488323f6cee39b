import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { RegistryUnavailableError } from '../intel/registries/index.js';
import { componentRemediation } from '../services/components/component-remediation.js';
import { PlainText, errorResponses } from './dto/common.js';
import { ComponentIdentifierDTO } from './dto/component.js';
import { RequestedComponentDTO } from './dto/component-details.js';

/** The reference's ApiComponentDTOV2 as a remediation names a version. */
const RemediationComponentDTO = Type.Object({
  hash: Type.String({ description: 'the stand-in hash evaluation gives a component named by coordinates' }),
  componentIdentifier: ComponentIdentifierDTO,
  packageUrl: Type.String(),
  displayName: Type.String(),
});

/** The reference's getSuggestedRemediationForComponent_200_response (ApiComponentRemediationValueDTO inside). */
const RemediationResultDTO = Type.Object({
  remediation: Type.Object({
    versionChanges: Type.Array(
      Type.Object({
        type: Type.String({ description: 'next-no-violations, or next-non-failing when a stageId is given' }),
        data: Type.Object({ component: RemediationComponentDTO }),
      }),
    ),
  }),
});

const owner = ownerParams('ownerType', 'ownerId');

export default async function componentRemediationRoutes(app: TollgateApp): Promise<void> {
  app.post(
    '/api/v2/components/remediation/:ownerType/:ownerId',
    {
      schema: {
        tags: ['Components'],
        summary:
          "The first version of a component (its own included) that violates none of an organization's or application's policies, and, given a stageId, the first that fails nothing at that stage",
        params: Type.Object({
          ownerType: Type.String({ description: 'application or organization (Tollgate has no repositories)' }),
          ownerId: Type.String(),
        }),
        querystring: Type.Object({
          stageId: Type.Optional(Type.String({ description: 'develop, source, build, stage-release, release or operate: adds next-non-failing' })),
          identificationSource: Type.Optional(Type.String({ description: 'accepted; does not change the answer' })),
          scanId: Type.Optional(Type.String({ description: 'accepted; does not change the answer' })),
          includeParentRemediation: Type.Optional(Type.Boolean({ default: false, description: 'accepted; no parent remediation is computed' })),
        }),
        body: RequestedComponentDTO,
        response: { 200: RemediationResultDTO, 503: PlainText, ...errorResponses },
      },
      config: {
        partial:
          'next-no-violations and next-non-failing only, from the versions npm, Maven Central, PyPI, crates.io, RubyGems, NuGet, Packagist and the Go module proxy list (licenses as the registry declares them, for Go modules as deps.dev reads them); no -with-dependencies, inner-source or recommended-non-breaking types, no suggestedVersionChange, no parent remediation (includeParentRemediation, directDependencyData); scanId and identificationSource do not change the answer',
        audit: false, // a read sent as POST
        permission: requires('READ', owner),
      },
    },
    async (request, reply) => {
      try {
        return await componentRemediation(app.ctx, await owner.of(request), request.body, { stageId: request.query.stageId });
      } catch (err) {
        if (!(err instanceof RegistryUnavailableError)) throw err;
        return reply.status(503).type('text/plain; charset=utf-8').send(err.message);
      }
    },
  );
}
