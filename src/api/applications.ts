import { Type } from 'typebox';
import { allOf, applicationParam, authenticated, organizationParam, param, requires, scopeFrom } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access/access.js';
import {
  cloneApplication,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  moveApplication,
  updateApplication,
} from '../services/owners/applications.js';
import { ValidationError } from '../core/errors.js';
import { ApiApplicationDTO, ApiApplicationListDTO, ApiMoveApplicationResponseDTOV2 } from './dto/application.js';
import { PlainText, RepeatedQuery, errorResponses } from './dto/common.js';

const tags = ['Applications'];
const ApplicationId = Type.Object({ applicationId: Type.String() });
const LISTED = 'lists the applications the caller may READ';
/** A new application's organization, which the body must name. */
const organizationInBody = scopeFrom('the organization the body names', [], async (_ctx, request) => {
  const organizationId = (request.body as { organizationId?: string }).organizationId;
  if (!organizationId) throw new ValidationError('organizationId is required: the organization the application belongs to');
  return { type: 'organization' as const, id: organizationId };
});
/** The organization of the application a clone copies. */
const organizationOfSource = scopeFrom('the organization of application {sourceApplicationId}', ['sourceApplicationId'], async (ctx, request) => ({
  type: 'organization' as const,
  id: (await getApplication(ctx, param(request, 'sourceApplicationId'))).organizationId,
}));

export default async function applicationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/applications',
    {
      schema: {
        tags,
        summary: 'Applications with the given public ids, or all the caller may view',
        querystring: Type.Object({ publicId: RepeatedQuery, includeCategories: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: ApiApplicationListDTO, ...errorResponses },
      },
      config: { permission: authenticated(LISTED) },
    },
    async (request) => {
      const { applications: visible } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      const { publicId, includeCategories } = request.query;
      return { applications: await listApplications(app.ctx, { publicIds: publicId, visible, includeTags: includeCategories }) };
    },
  );

  app.get(
    '/api/v2/applications/organization/:organizationId',
    {
      schema: {
        tags,
        summary: 'The applications of one organization (not of its child organizations) the caller may view',
        params: Type.Object({ organizationId: Type.String() }),
        response: { 200: ApiApplicationListDTO, ...errorResponses },
      },
      config: { permission: authenticated(LISTED) },
    },
    async (request) => {
      const { applications: visible } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      const applications = await listApplications(app.ctx, { organizationId: request.params.organizationId, visible, includeTags: true });
      return { applications };
    },
  );

  app.post(
    '/api/v2/applications',
    {
      schema: {
        tags,
        summary: 'Create an application in an organization',
        body: ApiApplicationDTO,
        response: { 200: ApiApplicationDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'application.create', permission: requires('ADD_APPLICATION', organizationInBody) },
    },
    async (request) => createApplication(app.ctx, request.body),
  );

  app.get(
    '/api/v2/applications/:applicationId',
    {
      schema: { tags, summary: 'One application, with its categories', params: ApplicationId, response: { 200: ApiApplicationDTO, ...errorResponses } },
      config: { permission: requires('READ', applicationParam('applicationId')) },
    },
    async (request) => getApplication(app.ctx, request.params.applicationId),
  );

  app.put(
    '/api/v2/applications/:applicationId',
    {
      schema: {
        tags,
        summary: 'Change the name, public id, contact or categories of an application (fields left out stay as they are)',
        params: ApplicationId,
        body: ApiApplicationDTO,
        response: { 200: ApiApplicationDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'application.update', permission: requires('WRITE', applicationParam('applicationId')) },
    },
    async (request) => updateApplication(app.ctx, request.params.applicationId, request.body),
  );

  app.delete(
    '/api/v2/applications/:applicationId',
    {
      schema: {
        tags,
        summary: 'Delete an application with its categories, labels and role memberships',
        params: ApplicationId,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'application.delete', permission: requires('WRITE', applicationParam('applicationId')) },
    },
    async (request, reply) => {
      await deleteApplication(app.ctx, request.params.applicationId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v2/applications/:applicationId/move/organization/:organizationId',
    {
      schema: {
        tags,
        summary: 'Move an application to another organization',
        params: Type.Object({ applicationId: Type.String(), organizationId: Type.String() }),
        response: { 200: ApiMoveApplicationResponseDTOV2, 409: ApiMoveApplicationResponseDTOV2, ...errorResponses },
      },
      config: {
        audit: 'application.move',
        permission: allOf(requires('WRITE', applicationParam('applicationId')), requires('WRITE', organizationParam('organizationId'))),
      },
    },
    async (request, reply) => {
      const { applicationId, organizationId } = request.params;
      const result = await moveApplication(app.ctx, applicationId, organizationId);
      return reply.status(result.errors.length ? 409 : 200).send(result);
    },
  );

  app.post(
    '/api/v2/applications/:sourceApplicationId/clone',
    {
      schema: {
        tags,
        summary: 'Copy an application (contact, categories and component labels) under a new name and public id',
        params: Type.Object({ sourceApplicationId: Type.String() }),
        querystring: Type.Object({
          clonedApplicationName: Type.Optional(Type.String()),
          clonedApplicationPublicId: Type.Optional(Type.String()),
        }),
        response: { 200: ApiApplicationDTO, 409: PlainText, ...errorResponses },
      },
      config: {
        audit: 'application.clone',
        partial: 'copies contact, categories and component labels; application policies, reports, waivers and access are not copied',
        permission: allOf(requires('READ', applicationParam('sourceApplicationId')), requires('ADD_APPLICATION', organizationOfSource)),
      },
    },
    async (request) => {
      const { clonedApplicationName: name, clonedApplicationPublicId: publicId } = request.query;
      return cloneApplication(app.ctx, request.params.sourceApplicationId, { name, publicId });
    },
  );
}
