import { raisePolicyManagement } from '../webhooks/management-events.js';
import type { Store } from '../../store/db.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId, stableId } from '../../core/ids.js';
import { organizationAncestry } from './organization-tree.js';
import { checkColor, checkName } from './organizations.js';
import { type PolicyTag, policiesUsingCategories } from '../policies/policy-tags.js';
import { unlessDuplicate } from '../../store/unique.js';

/**
 * Application categories ("tags"): defined on an organization with a name, description and color,
 * applicable to every application at or below that organization.
 */

export const MAX_DESCRIPTION_LENGTH = 1000;

export interface CategoryView {
  id: string;
  name: string;
  description: string;
  color: string;
  organizationId: string;
}

export interface CategoryInput {
  id?: string;
  name?: string;
  description?: string;
  color?: string;
  organizationId?: string;
}

/** One category applied to one application. */
export interface ApplicationTagView {
  id: string;
  tagId: string;
  applicationId: string;
}

export interface CategoriesByOwner {
  ownerType: 'organization';
  ownerId: string;
  ownerName: string;
  applicationCategories: CategoryView[];
}

export interface AppliedTagsByOwner {
  ownerType: 'application';
  ownerId: string;
  ownerName: string;
  applicationTags: ApplicationTagView[];
}

/** Assignments have no row id of their own: this one is stable for an (application, category) pair. */
export function applicationTagId(applicationId: string, categoryId: string): string {
  return stableId(`application-tag:${applicationId}:${categoryId}`);
}

export function toApplicationTag(applicationId: string, categoryId: string): ApplicationTagView {
  return { id: applicationTagId(applicationId, categoryId), tagId: categoryId, applicationId };
}

function toView(row: { id: string; name: string; description: string; color: string; organization_id: string }): CategoryView {
  return { id: row.id, name: row.name, description: row.description, color: row.color, organizationId: row.organization_id };
}

function checkDescription(description: string | undefined): string {
  const value = description ?? '';
  if (value.length > MAX_DESCRIPTION_LENGTH) throw new ValidationError(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters long`);
  return value;
}

async function requireOrganization(store: Store, organizationId: string): Promise<{ id: string; name: string }> {
  const org = await store.db.selectFrom('organizations').select(['id', 'name']).where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw new NotFoundError(`Organization ${organizationId} not found`);
  return org;
}

/** The categories defined on one organization (not inherited ones). */
export async function listOrganizationCategories(ctx: AppContext, organizationId: string): Promise<CategoryView[]> {
  await requireOrganization(ctx.store, organizationId);
  const rows = await ctx.store.db.selectFrom('application_categories').selectAll().where('organization_id', '=', organizationId).orderBy('name').execute();
  return rows.map(toView);
}

/** Every category defined on one of the given organizations. */
export async function listCategoriesOf(ctx: AppContext, organizationIds: Set<string>): Promise<CategoryView[]> {
  if (organizationIds.size === 0) return [];
  const rows = await ctx.store.db
    .selectFrom('application_categories')
    .selectAll()
    .where('organization_id', 'in', [...organizationIds])
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toView);
}

/** The categories applicable at an organization, grouped by the organization defining them, root first. */
export async function applicableCategoriesByOwner(store: Store, organizationId: string): Promise<CategoriesByOwner[]> {
  const chain = await organizationAncestry(store, organizationId);
  const [orgs, rows] = await Promise.all([
    store.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', chain).execute(),
    store.db.selectFrom('application_categories').selectAll().where('organization_id', 'in', chain).orderBy('name').execute(),
  ]);
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  return chain.map((id) => ({
    ownerType: 'organization' as const,
    ownerId: id,
    ownerName: names.get(id) ?? id,
    applicationCategories: rows.filter((r) => r.organization_id === id).map(toView),
  }));
}

/** The categories applicable at an organization (its own and its ancestors'), as one list. */
export async function applicableCategories(store: Store, organizationId: string): Promise<CategoryView[]> {
  return (await applicableCategoriesByOwner(store, organizationId)).flatMap((o) => o.applicationCategories);
}

/**
 * Checks that every category id may be applied to an application of `organizationId` and returns
 * them without repeats.
 */
export async function checkApplicableCategories(store: Store, organizationId: string, categoryIds: string[]): Promise<string[]> {
  const unique = [...new Set(categoryIds)];
  if (unique.length === 0) return unique;
  const applicable = new Set((await applicableCategories(store, organizationId)).map((c) => c.id));
  for (const id of unique) {
    if (!applicable.has(id)) {
      throw new ValidationError(
        `Application category ${id} is not available to applications of organization ${organizationId}: use a category defined on that organization or one above it`,
      );
    }
  }
  return unique;
}

/** The application-category ids applied to the given applications, by application. */
export async function appliedCategoryIds(store: Store, applicationIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (applicationIds.length === 0) return map;
  const rows = await store.db
    .selectFrom('application_category_assignments')
    .select(['application_id', 'category_id'])
    .where('application_id', 'in', applicationIds)
    .orderBy('category_id')
    .execute();
  for (const r of rows) {
    const list = map.get(r.application_id) ?? [];
    list.push(r.category_id);
    map.set(r.application_id, list);
  }
  return map;
}

/**
 * Where the categories of an organization are applied: one entry per application (at any depth
 * below the organization, and visible to the caller) carrying at least one of them.
 */
export async function appliedCategoriesByApplication(ctx: AppContext, organizationId: string, visibleApplications: Set<string>): Promise<AppliedTagsByOwner[]> {
  await requireOrganization(ctx.store, organizationId);
  const rows = await ctx.store.db
    .selectFrom('application_category_assignments as a')
    .innerJoin('application_categories as c', 'c.id', 'a.category_id')
    .innerJoin('applications as app', 'app.id', 'a.application_id')
    .select(['a.application_id', 'a.category_id', 'app.name'])
    .where('c.organization_id', '=', organizationId)
    .orderBy('app.name')
    .orderBy('a.application_id')
    .orderBy('a.category_id')
    .execute();
  const byApp = new Map<string, AppliedTagsByOwner>();
  for (const r of rows) {
    if (!visibleApplications.has(r.application_id)) continue;
    let entry = byApp.get(r.application_id);
    if (!entry) {
      entry = { ownerType: 'application', ownerId: r.application_id, ownerName: r.name, applicationTags: [] };
      byApp.set(r.application_id, entry);
    }
    entry.applicationTags.push(toApplicationTag(r.application_id, r.category_id));
  }
  return [...byApp.values()];
}

/** The checked fields of a category input for an organization (the path's organization must match the body's). */
function checkCategoryInput(organizationId: string, input: CategoryInput) {
  if (input.organizationId && input.organizationId !== organizationId) {
    throw new ValidationError(`organizationId ${input.organizationId} in the body differs from ${organizationId} in the path`);
  }
  return {
    name: checkName('application category', input.name),
    description: checkDescription(input.description),
    color: checkColor(input.color),
  };
}

type Reader = Pick<AppContext['store']['db'], 'selectFrom'>;

async function checkOrganization(trx: Reader, organizationId: string): Promise<void> {
  const org = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw new NotFoundError(`Organization ${organizationId} not found`);
}

/** 409 when another category of the organization already has the name. */
async function checkNameFree(trx: Reader, organizationId: string, name: string, exceptId?: string): Promise<void> {
  let query = trx.selectFrom('application_categories').select('id').where('organization_id', '=', organizationId).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw new ConflictError(categoryNameTaken(organizationId, name));
}

const categoryNameTaken = (organizationId: string, name: string) => `Organization ${organizationId} already has an application category named "${name}"`;

export async function createCategory(ctx: AppContext, organizationId: string, input: CategoryInput): Promise<CategoryView> {
  if (input.id) throw new ValidationError('id must not be given when creating an application category: Tollgate assigns it');
  const row = { id: newId(), organization_id: organizationId, ...checkCategoryInput(organizationId, input) };
  await ctx.store.db.transaction().execute(async (trx) => {
    await checkOrganization(trx, organizationId);
    await checkNameFree(trx, organizationId, row.name);
    await unlessDuplicate(trx.insertInto('application_categories').values(row).execute(), categoryNameTaken(organizationId, row.name));
    await raisePolicyManagement(trx, ctx, {
      type: 'APPLICATION_CATEGORY',
      action: 'CREATE',
      id: row.id,
      owner: { type: 'organization', id: organizationId },
      item: { list: 'tags', value: toView(row) },
    });
  });
  return toView(row);
}

export async function updateCategory(ctx: AppContext, organizationId: string, input: CategoryInput): Promise<CategoryView> {
  if (!input.id) throw new ValidationError('id of the application category to update is required');
  const id = input.id;
  const changes = checkCategoryInput(organizationId, input);
  await ctx.store.db.transaction().execute(async (trx) => {
    await checkOrganization(trx, organizationId);
    const existing = await trx
      .selectFrom('application_categories')
      .select('id')
      .where('id', '=', id)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!existing) throw new NotFoundError(`Application category ${id} not found in organization ${organizationId}`);
    await checkNameFree(trx, organizationId, changes.name, id);
    await unlessDuplicate(trx.updateTable('application_categories').set(changes).where('id', '=', id).execute(), categoryNameTaken(organizationId, changes.name));
    await raisePolicyManagement(trx, ctx, {
      type: 'APPLICATION_CATEGORY',
      action: 'UPDATE',
      id: id,
      owner: { type: 'organization', id: organizationId },
      item: { list: 'tags', value: { id, organizationId, ...changes } },
    });
  });
  return { id, organizationId, ...changes };
}

/**
 * The policies using an organization's categories (limited to one, or testing one in an
 * ApplicationCategory condition), as the reference's PolicyTag rows. Those policies belong to the
 * organization or below it, where its categories are visible.
 */
export async function policyTagsOfOrganization(ctx: AppContext, organizationId: string): Promise<PolicyTag[]> {
  const categories = await listOrganizationCategories(ctx, organizationId);
  const uses = await policiesUsingCategories(
    ctx.store.db,
    categories.map((c) => c.id),
  );
  return uses.map(({ id, policyId, tagId }) => ({ id, policyId, tagId }));
}

/**
 * Deletes a category and takes it off every application carrying it. A category a policy uses is
 * not deleted (400 naming the policies): the policy would otherwise name a category nothing has.
 */
export async function deleteCategory(ctx: AppContext, organizationId: string, categoryId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${organizationId} not found`);
    const existing = await trx
      .selectFrom('application_categories')
      .select(['id', 'name'])
      .where('id', '=', categoryId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (!existing) throw new NotFoundError(`Application category ${categoryId} not found in organization ${organizationId}`);
    const uses = await policiesUsingCategories(trx, [categoryId]);
    if (uses.length) {
      const names = uses.map((u) => `"${u.policyName}" (${u.ownerType} ${u.ownerId})`);
      throw new ValidationError(
        `Application category "${existing.name}" is used by ${uses.length === 1 ? 'policy' : 'policies'} ${names.join(', ')}: change or delete ${uses.length === 1 ? 'that policy' : 'those policies'} first. Nothing was deleted.`,
      );
    }
    await trx.deleteFrom('application_category_assignments').where('category_id', '=', categoryId).execute();
    await trx.deleteFrom('application_categories').where('id', '=', categoryId).execute();
    await raisePolicyManagement(trx, ctx, {
      type: 'APPLICATION_CATEGORY',
      action: 'DELETE',
      id: categoryId,
      owner: { type: 'organization', id: organizationId },
      item: { list: 'tags', value: { id: categoryId, name: existing.name } },
    });
  });
}

