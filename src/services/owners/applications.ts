import { raisePolicyManagement } from '../webhooks/management-events.js';
import type { ManagementAction } from '../webhooks/event-types.js';
import type { Kysely } from 'kysely';
import type { Store } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { ApplicationTable } from '../../store/tables/foundation.js';
import {
  type ApplicationTagView,
  appliedCategoryIds,
  checkApplicableCategories,
  toApplicationTag,
} from './application-categories.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { organizationAncestry } from './organization-tree.js';
import { MAX_NAME_LENGTH, checkName } from './organizations.js';
import { ownedBy } from './owner-filter.js';
import { unlessDuplicate } from '../../store/unique.js';

/** Public ids travel in URLs and CI configuration: keep them to a safe alphabet. */
export const PUBLIC_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
export const MAX_PUBLIC_ID_LENGTH = 200;
export const MAX_CONTACT_LENGTH = 200;

export interface ApplicationView {
  id: string;
  publicId: string;
  name: string;
  organizationId: string;
  contactUserName?: string;
  applicationTags?: ApplicationTagView[];
}

export interface ApplicationInput {
  id?: string;
  publicId?: string;
  name?: string;
  organizationId?: string;
  contactUserName?: string | null;
  applicationTags?: Array<{ tagId?: string }>;
}

export interface MoveApplicationResult {
  errors: string[];
  warnings: string[];
}

export function checkPublicId(publicId: string | undefined): string {
  const value = publicId?.trim();
  if (!value) throw new ValidationError('application publicId is required');
  if (value.length > MAX_PUBLIC_ID_LENGTH) throw new ValidationError(`application publicId must be at most ${MAX_PUBLIC_ID_LENGTH} characters long`);
  if (!PUBLIC_ID_PATTERN.test(value)) {
    throw new ValidationError(`application publicId "${value}" may contain only letters, digits, ".", "_" and "-"`);
  }
  return value;
}

function checkContact(contact: string | null | undefined): string | null {
  const value = contact?.trim();
  if (!value) return null;
  if (value.length > MAX_CONTACT_LENGTH) throw new ValidationError(`contactUserName must be at most ${MAX_CONTACT_LENGTH} characters long`);
  return value;
}

function tagIdsOf(tags: ApplicationInput['applicationTags']): string[] {
  return (tags ?? []).map((t, i) => {
    if (!t.tagId) throw new ValidationError(`applicationTags[${i}].tagId is required`);
    return t.tagId;
  });
}

/** The same store, with queries running inside `trx` (queries on the outer store would wait on SQLite). */
function within(store: Store, trx: Kysely<Database>): Store {
  return { ...store, db: trx };
}

async function toViews(store: Store, rows: ApplicationTable[], includeTags: boolean): Promise<ApplicationView[]> {
  const tags = includeTags ? await appliedCategoryIds(store, rows.map((r) => r.id)) : undefined;
  return rows.map((r) => ({
    id: r.id,
    publicId: r.public_id,
    name: r.name,
    organizationId: r.organization_id,
    ...(r.contact_user_name !== null ? { contactUserName: r.contact_user_name } : {}),
    ...(tags ? { applicationTags: (tags.get(r.id) ?? []).map((c) => toApplicationTag(r.id, c)) } : {}),
  }));
}

export async function listApplications(
  ctx: AppContext,
  filter: { publicIds?: string[]; organizationId?: string; visible?: Set<string>; includeTags?: boolean },
): Promise<ApplicationView[]> {
  if (filter.organizationId) {
    const org = await ctx.store.db.selectFrom('organizations').select('id').where('id', '=', filter.organizationId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${filter.organizationId} not found`);
  }
  let query = ctx.store.db.selectFrom('applications').selectAll().orderBy('name').orderBy('public_id');
  if (filter.publicIds?.length) query = query.where('public_id', 'in', filter.publicIds);
  if (filter.organizationId) query = query.where('organization_id', '=', filter.organizationId);
  const rows = (await query.execute()).filter((r) => !filter.visible || filter.visible.has(r.id));
  return toViews(ctx.store, rows, filter.includeTags ?? false);
}

async function findRow(store: Store, id: string): Promise<ApplicationTable> {
  const row = await store.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Application ${id} not found`);
  return row;
}

export async function getApplication(ctx: AppContext, id: string): Promise<ApplicationView> {
  return (await toViews(ctx.store, [await findRow(ctx.store, id)], true))[0];
}

/** The application with this public id (404 when there is none). */
export async function applicationByPublicId(store: Store, publicId: string): Promise<ApplicationTable> {
  const row = await store.db.selectFrom('applications').selectAll().where('public_id', '=', publicId).executeTakeFirst();
  if (!row) throw new NotFoundError(`Application with public id ${publicId} not found`);
  return row;
}

/** The public ids of the given applications, by id (unknown ids left out). */
export async function publicIdsOf(ctx: AppContext, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length > 1_000) {
    // A portfolio: one read of every application beats many IN lists.
    const wanted = new Set(ids);
    for (const r of await ctx.store.db.selectFrom('applications').select(['id', 'public_id']).execute()) if (wanted.has(r.id)) out.set(r.id, r.public_id);
    return out;
  }
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.store.db.selectFrom('applications').select(['id', 'public_id']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, r.public_id);
  }
  return out;
}

async function ensurePublicIdFree(store: Store, publicId: string, exceptId?: string): Promise<void> {
  let query = store.db.selectFrom('applications').select('id').where('public_id', '=', publicId);
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw new ConflictError(publicIdTaken(publicId));
}

const publicIdTaken = (publicId: string) => `An application with public id "${publicId}" already exists`;

export async function createApplication(ctx: AppContext, input: ApplicationInput): Promise<ApplicationView> {
  if (input.id) throw new ValidationError('id must not be given when creating an application: Tollgate assigns it');
  const publicId = checkPublicId(input.publicId);
  const name = checkName('application', input.name);
  const organizationId = input.organizationId;
  if (!organizationId) throw new ValidationError('organizationId is required: the organization the application belongs to');
  const contact = checkContact(input.contactUserName);
  const tagIds = tagIdsOf(input.applicationTags);
  const id = newId();
  await ctx.store.db.transaction().execute(async (trx) => {
    const store = within(ctx.store, trx);
    const org = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${organizationId} not found`);
    const categories = await checkApplicableCategories(store, organizationId, tagIds);
    await ensurePublicIdFree(store, publicId);
    await unlessDuplicate(
      trx
        .insertInto('applications')
        .values({ id, public_id: publicId, name, organization_id: organizationId, contact_user_name: contact, created_at: ctx.now().toISOString() })
        .execute(),
      publicIdTaken(publicId),
    );
    for (const category of categories) {
      await trx.insertInto('application_category_assignments').values({ application_id: id, category_id: category }).execute();
    }
    await raiseApplicationChange(trx, ctx, 'CREATE', { id, public_id: publicId, name, organization_id: organizationId });
  });
  return getApplication(ctx, id);
}

/**
 * Changes name, public id, contact and categories; fields left out stay as they are, and
 * `applicationTags`, when given, replaces the categories applied.
 */
export async function updateApplication(ctx: AppContext, id: string, input: ApplicationInput): Promise<ApplicationView> {
  if (input.id && input.id !== id) throw new ValidationError(`id ${input.id} in the body differs from ${id} in the path`);
  const publicId = input.publicId !== undefined ? checkPublicId(input.publicId) : undefined;
  const name = input.name !== undefined ? checkName('application', input.name) : undefined;
  const contact = input.contactUserName !== undefined ? checkContact(input.contactUserName) : undefined;
  const tagIds = input.applicationTags !== undefined ? tagIdsOf(input.applicationTags) : undefined;
  await ctx.store.db.transaction().execute(async (trx) => {
    const store = within(ctx.store, trx);
    const row = await findRow(store, id);
    if (input.organizationId && input.organizationId !== row.organization_id) {
      throw new ValidationError('organizationId cannot be changed here: move the application to another organization instead');
    }
    const categories = tagIds ? await checkApplicableCategories(store, row.organization_id, tagIds) : undefined;
    if (publicId !== undefined) await ensurePublicIdFree(store, publicId, id);
    const changes = {
      ...(publicId !== undefined ? { public_id: publicId } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(contact !== undefined ? { contact_user_name: contact } : {}),
    };
    if (Object.keys(changes).length) {
      await unlessDuplicate(trx.updateTable('applications').set(changes).where('id', '=', id).execute(), publicIdTaken(publicId ?? row.public_id));
    }
    if (categories) {
      await trx.deleteFrom('application_category_assignments').where('application_id', '=', id).execute();
      for (const category of categories) {
        await trx.insertInto('application_category_assignments').values({ application_id: id, category_id: category }).execute();
      }
    }
    await raiseApplicationChange(trx, ctx, 'UPDATE', { ...row, ...changes });
  });
  return getApplication(ctx, id);
}

/**
 * Moves an application to another organization. Refused (errors, nothing changed) when it carries
 * categories the destination cannot see: they are defined on an organization outside the
 * destination's chain.
 */
export async function moveApplication(ctx: AppContext, id: string, destinationId: string): Promise<MoveApplicationResult> {
  const row = await findRow(ctx.store, id);
  const destinationChain = new Set(await organizationAncestry(ctx.store, destinationId));
  const applied = await ctx.store.db
    .selectFrom('application_category_assignments as a')
    .innerJoin('application_categories as c', 'c.id', 'a.category_id')
    .innerJoin('organizations as o', 'o.id', 'c.organization_id')
    .select(['c.name', 'c.organization_id', 'o.name as organizationName'])
    .where('a.application_id', '=', id)
    .orderBy('c.name')
    .execute();
  const errors = applied
    .filter((c) => !destinationChain.has(c.organization_id))
    .map(
      (c) =>
        `Application category "${c.name}" of organization "${c.organizationName}" is not available in the destination organization: remove it from the application first`,
    );
  if (errors.length) return { errors, warnings: [] };
  if (row.organization_id !== destinationId) {
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('applications').set({ organization_id: destinationId }).where('id', '=', id).execute();
      // IQ raises an owner event when an owner moves: an UPDATE naming the new organization.
      await raiseApplicationChange(trx, ctx, 'UPDATE', { ...row, organization_id: destinationId });
    });
  }
  return { errors: [], warnings: [] };
}

/** A name for a copy: the source's, marked, and no longer than names may be. */
function copyName(name: string): string {
  const suffix = ' (copy)';
  return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}

/** A free public id for a copy: `<source>-copy`, then `-copy-2`, `-copy-3`, … */
async function copyPublicId(store: Store, publicId: string): Promise<string> {
  const base = `${publicId.slice(0, MAX_PUBLIC_ID_LENGTH - 10)}-copy`;
  const taken = new Set(
    (await store.db.selectFrom('applications').select('public_id').where('public_id', 'like', `${base}%`).execute()).map((r) => r.public_id),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A new application in the source's organization with the source's contact, categories and
 * component labels. Reports, waivers and access (role memberships) are not copied.
 */
export async function cloneApplication(
  ctx: AppContext,
  sourceId: string,
  options: { name?: string; publicId?: string },
): Promise<ApplicationView> {
  const source = await findRow(ctx.store, sourceId);
  const name = options.name !== undefined ? checkName('application', options.name) : copyName(source.name);
  const publicId = options.publicId !== undefined ? checkPublicId(options.publicId) : await copyPublicId(ctx.store, source.public_id);
  const id = newId();
  await ctx.store.db.transaction().execute(async (trx) => {
    await ensurePublicIdFree(within(ctx.store, trx), publicId);
    await unlessDuplicate(
      trx
        .insertInto('applications')
        .values({
          id,
          public_id: publicId,
          name,
          organization_id: source.organization_id,
          contact_user_name: source.contact_user_name,
          created_at: ctx.now().toISOString(),
        })
        .execute(),
      publicIdTaken(publicId),
    );
    const categories = await trx.selectFrom('application_category_assignments').select('category_id').where('application_id', '=', sourceId).execute();
    for (const c of categories) {
      await trx.insertInto('application_category_assignments').values({ application_id: id, category_id: c.category_id }).execute();
    }
    const labels = await trx
      .selectFrom('component_labels')
      .selectAll()
      .where(ownedBy({ type: 'application', id: sourceId }))
      .execute();
    for (const label of labels) {
      await trx.insertInto('component_labels').values({ ...label, id: newId(), owner_id: id, application_id: id }).execute();
    }
  });
  return getApplication(ctx, id);
}

/** Deletes an application with its categories, labels and role memberships. */
export async function deleteApplication(ctx: AppContext, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await findRow(within(ctx.store, trx), id);
    await trx.deleteFrom('role_memberships').where(ownedBy({ type: 'application', id })).execute();
    await trx.deleteFrom('application_category_assignments').where('application_id', '=', id).execute();
    await trx.deleteFrom('component_labels').where('application_id', '=', id).execute();
    await trx.deleteFrom('applications').where('id', '=', id).execute();
    await raiseApplicationChange(trx, ctx, 'DELETE', row);
  });
}

function raiseApplicationChange(
  trx: Kysely<Database>,
  ctx: AppContext,
  action: ManagementAction,
  app: { id: string; public_id: string; name: string; organization_id: string },
): Promise<void> {
  return raisePolicyManagement(trx, ctx, {
    type: 'APPLICATION',
    action,
    id: app.id,
    owner: { type: 'application', id: app.id, publicId: app.public_id, name: app.name, parentOwnerId: app.organization_id },
  });
}
