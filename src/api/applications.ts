import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access.js';
import {
  cloneApplication,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  moveApplication,
  updateApplication,
} from '../services/applications.js';
import { ValidationError } from '../core/errors.js';
import { ApiApplicationDTO, ApiApplicationListDTO, ApiMoveApplicationResponseDTOV2 } from './dto/application.js';
import { PlainText, RepeatedQuery, errorResponses } from './dto/common.js';

const tags = ['Applications'];
const ApplicationId = Type.Object({ applicationId: Type.String() });

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
      config: { audit: 'application.create' },
    },
    async (request) => {
      const organizationId = request.body.organizationId;
      if (!organizationId) throw new ValidationError('organizationId is required: the organization the application belongs to');
      await request.authorize('ADD_APPLICATION', { type: 'organization', id: organizationId });
      return createApplication(app.ctx, request.body);
    },
  );

  app.get(
    '/api/v2/applications/:applicationId',
    { schema: { tags, summary: 'One application, with its categories', params: ApplicationId, response: { 200: ApiApplicationDTO, ...errorResponses } } },
    async (request) => {
      await request.authorize('READ', { type: 'application', id: request.params.applicationId });
      return getApplication(app.ctx, request.params.applicationId);
    },
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
      config: { audit: 'application.update' },
    },
    async (request) => {
      await request.authorize('WRITE', { type: 'application', id: request.params.applicationId });
      return updateApplication(app.ctx, request.params.applicationId, request.body);
    },
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
      config: { audit: 'application.delete' },
    },
    async (request, reply) => {
      await request.authorize('WRITE', { type: 'application', id: request.params.applicationId });
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
      config: { audit: 'application.move' },
    },
    async (request, reply) => {
      const { applicationId, organizationId } = request.params;
      await request.authorize('WRITE', { type: 'application', id: applicationId });
      await request.authorize('WRITE', { type: 'organization', id: organizationId });
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
      },
    },
    async (request) => {
      const sourceId = request.params.sourceApplicationId;
      await request.authorize('READ', { type: 'application', id: sourceId });
      const source = await getApplication(app.ctx, sourceId);
      await request.authorize('ADD_APPLICATION', { type: 'organization', id: source.organizationId });
      const { clonedApplicationName: name, clonedApplicationPublicId: publicId } = request.query;
      return cloneApplication(app.ctx, sourceId, { name, publicId });
    },
  );
}
