import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access.js';
import {
  appliedCategoriesByApplication,
  applicableCategories,
  applicableCategoriesByOwner,
  createCategory,
  deleteCategory,
  listCategoriesOf,
  listOrganizationCategories,
  policyTagsOfOrganization,
  updateCategory,
} from '../services/application-categories.js';
import { applicationByPublicId } from '../services/applications.js';
import {
  ApiApplicationCategoryDTO,
  ApiApplicationCategoryListDTO,
  ApplicableTagsDTO,
  AppliedTagsDTO,
  PolicyTagListDTO,
} from './dto/application-category.js';
import { PlainText, errorResponses } from './dto/common.js';

// The reference names no permissions for these operations: reading needs View IQ Elements (READ)
// and changing Edit IQ Elements (WRITE) on the organization or application, as elsewhere.
const tags = ['Application Categories'];
const OrganizationId = Type.Object({ organizationId: Type.String() });
const ApplicationPublicId = Type.Object({ applicationPublicId: Type.String() });

export default async function applicationCategoryRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/applicationCategories/application',
    {
      schema: {
        tags,
        summary: 'Every application category defined on an organization the caller may view',
        response: { 200: ApiApplicationCategoryListDTO, ...errorResponses },
      },
    },
    async (request) => {
      const { organizations } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      return listCategoriesOf(app.ctx, organizations);
    },
  );

  app.get(
    '/api/v2/applicationCategories/application/:applicationPublicId',
    {
      schema: {
        tags,
        summary: 'The categories an application may carry, grouped by the organization defining them (root first)',
        params: ApplicationPublicId,
        response: { 200: ApplicableTagsDTO, ...errorResponses },
      },
    },
    async (request) => {
      const application = await applicationByPublicId(app.ctx.store, request.params.applicationPublicId);
      await request.authorize('READ', { type: 'application', id: application.id });
      return { applicationCategoriesByOwner: await applicableCategoriesByOwner(app.ctx.store, application.organization_id) };
    },
  );

  app.get(
    '/api/v2/applicationCategories/application/:applicationPublicId/applicable',
    {
      schema: {
        tags,
        summary: 'The categories an application may carry, as one list',
        params: ApplicationPublicId,
        response: { 200: ApiApplicationCategoryListDTO, ...errorResponses },
      },
    },
    async (request) => {
      const application = await applicationByPublicId(app.ctx.store, request.params.applicationPublicId);
      await request.authorize('READ', { type: 'application', id: application.id });
      return applicableCategories(app.ctx.store, application.organization_id);
    },
  );

  app.get(
    '/api/v2/applicationCategories/organization/:organizationId',
    {
      schema: {
        tags,
        summary: 'The categories defined on an organization (not inherited ones)',
        params: OrganizationId,
        response: { 200: ApiApplicationCategoryListDTO, ...errorResponses },
      },
    },
    async (request) => {
      await request.authorize('READ', { type: 'organization', id: request.params.organizationId });
      return listOrganizationCategories(app.ctx, request.params.organizationId);
    },
  );

  app.post(
    '/api/v2/applicationCategories/organization/:organizationId',
    {
      schema: {
        tags,
        summary: 'Define an application category on an organization',
        params: OrganizationId,
        body: ApiApplicationCategoryDTO,
        response: { 200: ApiApplicationCategoryDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'applicationCategory.create' },
    },
    async (request) => {
      await request.authorize('WRITE', { type: 'organization', id: request.params.organizationId });
      return createCategory(app.ctx, request.params.organizationId, request.body);
    },
  );

  app.put(
    '/api/v2/applicationCategories/organization/:organizationId',
    {
      schema: {
        tags,
        summary: 'Change the name, description and color of an application category (id in the body)',
        params: OrganizationId,
        body: ApiApplicationCategoryDTO,
        response: { 200: ApiApplicationCategoryDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'applicationCategory.update' },
    },
    async (request) => {
      await request.authorize('WRITE', { type: 'organization', id: request.params.organizationId });
      return updateCategory(app.ctx, request.params.organizationId, request.body);
    },
  );

  app.get(
    '/api/v2/applicationCategories/organization/:organizationId/applicable',
    {
      schema: {
        tags,
        summary: 'The categories applications of an organization may carry, grouped by the organization defining them (root first)',
        params: OrganizationId,
        response: { 200: ApplicableTagsDTO, ...errorResponses },
      },
    },
    async (request) => {
      await request.authorize('READ', { type: 'organization', id: request.params.organizationId });
      return { applicationCategoriesByOwner: await applicableCategoriesByOwner(app.ctx.store, request.params.organizationId) };
    },
  );

  app.get(
    '/api/v2/applicationCategories/organization/:organizationId/applied',
    {
      schema: {
        tags,
        summary: "Where an organization's categories are applied, by application (those the caller may view)",
        params: OrganizationId,
        response: { 200: AppliedTagsDTO, ...errorResponses },
      },
    },
    async (request) => {
      await request.authorize('READ', { type: 'organization', id: request.params.organizationId });
      const { applications } = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      return { applicationTagsByOwner: await appliedCategoriesByApplication(app.ctx, request.params.organizationId, applications) };
    },
  );

  app.get(
    '/api/v2/applicationCategories/organization/:organizationId/policy',
    {
      schema: {
        tags,
        summary:
          "The policies that use an organization's categories (limited to one, or testing one in an ApplicationCategory condition): one PolicyTag per policy and category",
        params: OrganizationId,
        response: { 200: PolicyTagListDTO, ...errorResponses },
      },
    },
    async (request) => {
      await request.authorize('READ', { type: 'organization', id: request.params.organizationId });
      return policyTagsOfOrganization(app.ctx, request.params.organizationId);
    },
  );

  app.delete(
    '/api/v2/applicationCategories/organization/:organizationId/:tagId',
    {
      schema: {
        tags,
        summary: 'Delete an application category and take it off the applications carrying it (400 while a policy uses it)',
        params: Type.Object({ organizationId: Type.String(), tagId: Type.String() }),
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'applicationCategory.delete' },
    },
    async (request, reply) => {
      await request.authorize('WRITE', { type: 'organization', id: request.params.organizationId });
      await deleteCategory(app.ctx, request.params.organizationId, request.params.tagId);
      return reply.status(204).send(null);
    },
  );
}
