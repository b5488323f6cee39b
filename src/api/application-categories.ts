import { Type } from 'typebox';
import { applicationPublicIdParam, authenticated, organizationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { visibleOwners } from '../services/access/access.js';
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
} from '../services/owners/application-categories.js';
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
const application = applicationPublicIdParam('applicationPublicId');
const organization = organizationParam('organizationId');

export default async function applicationCategoryRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/applicationCategories/application',
    {
      schema: {
        tags,
        summary: 'Every application category defined on an organization the caller may view',
        response: { 200: ApiApplicationCategoryListDTO, ...errorResponses },
      },
      config: { permission: authenticated('lists the categories of the organizations the caller may READ') },
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
      config: { permission: requires('READ', application) },
    },
    async (request) => {
      const { organization_id } = await application.of(request);
      return { applicationCategoriesByOwner: await applicableCategoriesByOwner(app.ctx.store, organization_id) };
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
      config: { permission: requires('READ', application) },
    },
    async (request) => {
      const { organization_id } = await application.of(request);
      return applicableCategories(app.ctx.store, organization_id);
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
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
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
      config: { audit: 'applicationCategory.create', permission: requires('WRITE', organization) },
    },
    async (request) => {
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
      config: { audit: 'applicationCategory.update', permission: requires('WRITE', organization) },
    },
    async (request) => {
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
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
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
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
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
      config: { permission: requires('READ', organization) },
    },
    async (request) => {
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
      config: { audit: 'applicationCategory.delete', permission: requires('WRITE', organization) },
    },
    async (request, reply) => {
      await deleteCategory(app.ctx, request.params.organizationId, request.params.tagId);
      return reply.status(204).send(null);
    },
  );
}
