import { raisePolicyManagement } from '../webhooks/management-events.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { ROOT_ORGANIZATION_ID, newId } from '../../core/ids.js';
import { organizationAncestry } from './organization-tree.js';
import { ownedBy } from './owner-filter.js';
import { unlessDuplicate } from '../../store/unique.js';

export const CATEGORY_COLORS = [
  'white', 'grey', 'black', 'green', 'yellow', 'orange', 'red', 'blue',
  'light-red', 'light-green', 'light-blue', 'light-purple', 'dark-red', 'dark-green', 'dark-blue', 'dark-purple',
] as const;

export const MAX_NAME_LENGTH = 200;

export interface TagView {
  id: string;
  name: string;
  description: string;
  color: string;
}

export interface OrganizationView {
  id: string;
  name: string;
  parentOrganizationId?: string;
  tags: TagView[];
}

export interface OrganizationInput {
  name?: string;
  parentOrganizationId?: string;
  tags?: Array<{ name?: string; description?: string; color?: string }>;
}

export function checkName(kind: string, name: string | undefined): string {
  const trimmed = name?.trim();
  if (!trimmed) throw new ValidationError(`${kind} name is required`);
  if (trimmed.length > MAX_NAME_LENGTH) throw new ValidationError(`${kind} name must be at most ${MAX_NAME_LENGTH} characters long`);
  return trimmed;
}

async function tagsByOrganization(db: Kysely<Database>, ids: string[]): Promise<Map<string, TagView[]>> {
  const map = new Map<string, TagView[]>();
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('application_categories').selectAll().where('organization_id', 'in', ids).orderBy('name').execute();
  for (const r of rows) {
    const list = map.get(r.organization_id) ?? [];
    list.push({ id: r.id, name: r.name, description: r.description, color: r.color });
    map.set(r.organization_id, list);
  }
  return map;
}

async function toViews(db: Kysely<Database>, rows: Array<{ id: string; name: string; parent_id: string | null }>): Promise<OrganizationView[]> {
  const tags = await tagsByOrganization(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ...(r.parent_id ? { parentOrganizationId: r.parent_id } : {}),
    tags: tags.get(r.id) ?? [],
  }));
}

export async function listOrganizations(ctx: AppContext, filter: { names?: string[]; ids?: string[]; visible?: Set<string> }): Promise<OrganizationView[]> {
  let query = ctx.store.db.selectFrom('organizations').select(['id', 'name', 'parent_id']).orderBy('name');
  if (filter.names?.length) query = query.where('name', 'in', filter.names);
  if (filter.ids?.length) query = query.where('id', 'in', filter.ids);
  const rows = (await query.execute()).filter((r) => !filter.visible || filter.visible.has(r.id));
  return toViews(ctx.store.db, rows);
}

export async function getOrganization(ctx: AppContext, id: string): Promise<OrganizationView> {
  const row = await ctx.store.db.selectFrom('organizations').select(['id', 'name', 'parent_id']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Organization ${id} not found`);
  return (await toViews(ctx.store.db, [row]))[0];
}

export function checkColor(color: string | undefined): string {
  if (!color) throw new ValidationError('tag color is required');
  if (!(CATEGORY_COLORS as readonly string[]).includes(color)) {
    throw new ValidationError(`tag color "${color}" is not one of ${CATEGORY_COLORS.join(', ')}`);
  }
  return color;
}

export async function createOrganization(ctx: AppContext, input: OrganizationInput): Promise<OrganizationView> {
  const name = checkName('organization', input.name);
  const parentId = input.parentOrganizationId || ROOT_ORGANIZATION_ID;
  const tags = (input.tags ?? []).map((t) => ({
    name: checkName('tag', t.name),
    description: t.description ?? '',
    color: checkColor(t.color),
  }));
  if (new Set(tags.map((t) => t.name)).size !== tags.length) throw new ValidationError('tag names must be unique within an organization');
  const id = newId();
  await ctx.store.db.transaction().execute(async (trx) => {
    const parent = await trx.selectFrom('organizations').select('id').where('id', '=', parentId).executeTakeFirst();
    if (!parent) throw new NotFoundError(`Parent organization ${parentId} not found`);
    const same = await trx.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirst();
    const taken = `An organization named "${name}" already exists`;
    if (same) throw new ConflictError(taken);
    await unlessDuplicate(trx.insertInto('organizations').values({ id, name, parent_id: parentId, created_at: ctx.now().toISOString() }).execute(), taken);
    for (const tag of tags) {
      await trx.insertInto('application_categories').values({ id: newId(), organization_id: id, ...tag }).execute();
    }
    await raisePolicyManagement(trx, ctx, { type: 'ORGANIZATION', action: 'CREATE', id, owner: { type: 'organization', id, name, parentOwnerId: parentId } });
  });
  return getOrganization(ctx, id);
}

export async function deleteOrganization(ctx: AppContext, id: string): Promise<void> {
  if (id === ROOT_ORGANIZATION_ID) throw new ValidationError('The root organization cannot be deleted');
  await ctx.store.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select(['id', 'name', 'parent_id']).where('id', '=', id).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${id} not found`);
    const child = await trx.selectFrom('organizations').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (child) throw new ConflictError(`Organization ${id} still has child organizations: move or delete them first`);
    const app = await trx.selectFrom('applications').select('id').where('organization_id', '=', id).limit(1).executeTakeFirst();
    if (app) throw new ConflictError(`Organization ${id} still has applications: move or delete them first`);
    await trx.deleteFrom('role_memberships').where(ownedBy({ type: 'organization', id })).execute();
    await trx.deleteFrom('organizations').where('id', '=', id).execute();
    await raisePolicyManagement(trx, ctx, {
      type: 'ORGANIZATION',
      action: 'DELETE',
      id,
      owner: { type: 'organization', id, name: org.name, parentOwnerId: org.parent_id },
    });
  });
}

export interface MoveResult {
  errors: Array<{ type: 'TAG' | 'POLICY' | 'LICENSE_THREAT_GROUP' | 'LABEL' | 'PARENT_HIERARCHY'; message: string }>;
  warnings: Array<{ type: 'LICENSE_OVERRIDE' | 'POLICY_MONITORING' | 'POLICY_WAIVER'; message: string }>;
}

/** Moves an organization under another; refused (errors, nothing changed) when that would make a cycle. */
export async function moveOrganization(ctx: AppContext, id: string, destinationId: string): Promise<MoveResult> {
  if (id === ROOT_ORGANIZATION_ID) throw new ValidationError('The root organization cannot be moved');
  const org = await getOrganization(ctx, id);
  const destinationChain = await organizationAncestry(ctx.store, destinationId);
  if (destinationChain.includes(id)) {
    return {
      errors: [{ type: 'PARENT_HIERARCHY', message: `Organization ${destinationId} is ${destinationId === id ? 'the organization itself' : 'below the organization being moved'}` }],
      warnings: [],
    };
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('organizations').set({ parent_id: destinationId }).where('id', '=', id).execute();
    // IQ raises an owner event when an owner moves: an UPDATE naming the new parent.
    await raisePolicyManagement(trx, ctx, { type: 'ORGANIZATION', action: 'UPDATE', id, owner: { type: 'organization', id, name: org.name, parentOwnerId: destinationId } });
  });
  return { errors: [], warnings: [] };
}
