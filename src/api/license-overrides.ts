import type { FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { ComponentIdentifier } from '../ecosystems/identity.js';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { ValidationError } from '../core/errors.js';
import {
  appliedLicenseOverrides,
  checkOverrideComponent,
  deleteLicenseOverride,
  saveLicenseOverride,
} from '../services/decisions/license-overrides.js';
import { errorResponses } from './dto/common.js';
import { ApiAppliedLicenseOverridesDTO, ApiLicenseOverrideDTO, LicenseOverrideInputDTO, OverrideOwnerType } from './dto/license-override.js';

const tags = ['License Overrides'];
const OwnerParams = Type.Object({ ownerType: OverrideOwnerType, ownerId: Type.String() });
const ComponentQuery = Type.Object({
  componentIdentifier: Type.Optional(
    Type.String({
      description:
        'Required unless packageUrl or hash is given. JSON {"format":"maven","coordinates":{…}}, or in brackets: componentIdentifier[format]=npm&componentIdentifier[coordinates][packageId]=…',
    }),
  ),
  packageUrl: Type.Optional(Type.String({ description: 'Tollgate: the component by package URL' })),
  hash: Type.Optional(Type.String({ description: 'Tollgate: the component by hash' })),
});
// `where` is in the reference without a description; it is accepted and has no effect here.
const WhereQuery = Type.Object({ where: Type.Optional(Type.String()) });

function parseIdentifierParam(value: string | undefined): ComponentIdentifier | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ValidationError('componentIdentifier must be JSON, e.g. {"format":"npm","coordinates":{"packageId":"left-pad","version":"1.3.0"}}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationError('componentIdentifier must be a JSON object with "format" and "coordinates"');
  }
  return parsed as ComponentIdentifier;
}

const owner = ownerParams('ownerType', 'ownerId');

export default async function licenseOverrideRoutes(app: TollgateApp): Promise<void> {
  async function applied(request: FastifyRequest<{ Params: { ownerType: string; ownerId: string }; Querystring: Static<typeof ComponentQuery> }>) {
    const resolved = await owner.of(request);
    const { componentIdentifier, packageUrl, hash } = request.query;
    const identifier = parseIdentifierParam(componentIdentifier);
    // The reference requires the component; Tollgate also takes it by package URL or hash.
    if (!identifier && !packageUrl?.trim() && !hash?.trim()) {
      throw new ValidationError(
        'componentIdentifier is required: the component whose license overrides to list, as JSON ({"format":"npm","coordinates":{"packageId":"left-pad","version":"1.3.0"}}) ' +
          'or in brackets (componentIdentifier[format]=npm&componentIdentifier[coordinates][packageId]=left-pad&…); Tollgate also takes packageUrl or hash',
      );
    }
    const component = checkOverrideComponent({ componentIdentifier: identifier, packageUrl, hash });
    return { licenseOverridesByOwner: await appliedLicenseOverrides(app.ctx, resolved, component) };
  }

  const appliedSchema = {
    params: OwnerParams,
    querystring: ComponentQuery,
    response: { 200: ApiAppliedLicenseOverridesDTO, ...errorResponses },
  };

  app.get(
    '/api/v2/licenseOverrides/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'The license overrides of a component that apply at an owner, nearest owner first (the first is in effect)',
        ...appliedSchema,
      },
      config: { permission: requires('READ', owner) },
    },
    (request) => applied(request),
  );

  app.get(
    '/api/v2/licenseOverrides/:ownerType/:ownerId/legalReviewer',
    {
      schema: { tags, summary: 'The same, for legal reviewers', ...appliedSchema },
      config: { permission: requires('LEGAL_REVIEWER', owner) },
    },
    (request) => applied(request),
  );

  app.post(
    '/api/v2/licenseOverrides/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Add or change a license override of a component on an organization or application',
        params: OwnerParams,
        querystring: WhereQuery,
        body: LicenseOverrideInputDTO,
        response: { 200: ApiLicenseOverrideDTO, 409: Type.String(), ...errorResponses },
      },
      config: { audit: 'licenseOverride.save', permission: requires('CHANGE_LICENSES', owner) },
    },
    async (request) => {
      const resolved = await owner.of(request);
      return saveLicenseOverride(app.ctx, resolved, request.body, { username: request.principal!.username });
    },
  );

  app.delete(
    '/api/v2/licenseOverrides/:ownerType/:ownerId/:licenseOverrideId',
    {
      schema: {
        tags,
        summary: 'Delete a license override (an inherited one, if any, applies again)',
        params: Type.Object({ ...OwnerParams.properties, licenseOverrideId: Type.String() }),
        querystring: WhereQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'licenseOverride.delete', permission: requires('CHANGE_LICENSES', owner) },
    },
    async (request, reply) => {
      const resolved = await owner.of(request);
      await deleteLicenseOverride(app.ctx, resolved, request.params.licenseOverrideId);
      return reply.status(204).send(null);
    },
  );
}
