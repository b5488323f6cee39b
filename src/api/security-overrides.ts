import { Type } from 'typebox';
import { authenticated, ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { listSecurityOverrides } from '../services/decisions/security-override-impact.js';
import { deleteSecurityOverride, saveSecurityOverride } from '../services/decisions/security-overrides.js';
import { errorResponses } from './dto/common.js';
import { OverrideOwnerType } from './dto/license-override.js';
import {
  ApiSecurityVulnerabilityOverrideDTOV2,
  ApiSecurityVulnerabilityOverrideResponseDTOV2,
  SecurityOverrideInputDTO,
} from './dto/security-override.js';

const tags = ['Security Vulnerability Overrides'];
const OwnerParams = Type.Object({ ownerType: OverrideOwnerType, ownerId: Type.String() });

const owner = ownerParams('ownerType', 'ownerId');

export default async function securityOverrideRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/securityOverrides',
    {
      schema: {
        tags,
        summary:
          'Security vulnerability overrides on the organizations and applications the caller may view; by vulnerability, by component (with those of every component), by owner (with those inherited from its organizations). currentlyAffectedComponents: the components of the newest report of each stage (of applications the caller may view in the override’s scope, and at or below ownerId when given) carrying the vulnerability',
        querystring: Type.Object({
          refId: Type.Optional(Type.String({ description: 'CVE or Sonatype vulnerability id' })),
          componentPurl: Type.Optional(Type.String()),
          ownerId: Type.Optional(Type.String({ description: 'internal id of an application or organization' })),
        }),
        response: { 200: ApiSecurityVulnerabilityOverrideResponseDTOV2, ...errorResponses },
      },
      config: { permission: authenticated('lists the overrides on the organizations and applications the caller may READ') },
    },
    async (request) => ({ securityOverrides: await listSecurityOverrides(app.ctx, request.principal!, request.query) }),
  );

  app.post(
    '/api/v2/securityOverrides/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary:
          'Set the status of a vulnerability for a component (hash, packageUrl or componentIdentifier), or for every component when none is given, on an organization or application',
        params: OwnerParams,
        body: SecurityOverrideInputDTO,
        response: { 200: ApiSecurityVulnerabilityOverrideDTOV2, ...errorResponses },
      },
      config: { tollgate: true, audit: 'securityOverride.save', permission: requires('CHANGE_SECURITY_VULNERABILITIES', owner) },
    },
    async (request) => saveSecurityOverride(app.ctx, await owner.of(request), request.body, { username: request.principal!.username }),
  );

  app.delete(
    '/api/v2/securityOverrides/:ownerType/:ownerId/:securityOverrideId',
    {
      schema: {
        tags,
        summary: 'Delete a security vulnerability override (an inherited one, if any, applies again)',
        params: Type.Object({ ...OwnerParams.properties, securityOverrideId: Type.String() }),
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { tollgate: true, audit: 'securityOverride.delete', permission: requires('CHANGE_SECURITY_VULNERABILITIES', owner) },
    },
    async (request, reply) => {
      await deleteSecurityOverride(app.ctx, await owner.of(request), request.params.securityOverrideId);
      return reply.status(204).send(null);
    },
  );
}
