import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { RoleTable } from '../../store/tables/foundation.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { PERMISSION_CATEGORIES, type Permission, isPermission } from './permissions.js';
import { isUniqueViolation } from '../../store/unique.js';

export const MAX_ROLE_NAME_LENGTH = 100;
export const MAX_ROLE_DESCRIPTION_LENGTH = 1000;

export interface PermissionView {
  id: Permission;
  displayName: string;
  description: string;
  allowed: boolean;
}

export interface PermissionCategoryView {
  displayName: string;
  permissions: PermissionView[];
}

export interface RoleView {
  id?: string;
  name?: string;
  description?: string;
  builtIn: boolean;
  permissionCategories: PermissionCategoryView[];
}

export interface RoleInput {
  id?: string;
  name?: string;
  description?: string;
  builtIn?: boolean;
  permissionCategories?: Array<{ displayName?: string; permissions?: Array<{ id?: string; allowed?: boolean }> }>;
}

/** Every permission category, each permission marked allowed when the role grants it. */
export function permissionCategories(granted: ReadonlySet<string>): PermissionCategoryView[] {
  return PERMISSION_CATEGORIES.map((category) => ({
    displayName: category.displayName,
    permissions: category.permissions.map(([id, displayName, description]) => ({ id, displayName, description, allowed: granted.has(id) })),
  }));
}

function toRoleView(row: RoleTable): RoleView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtIn: row.built_in === 1,
    permissionCategories: permissionCategories(new Set(JSON.parse(row.permissions) as string[])),
  };
}

export async function listRoles(ctx: AppContext): Promise<RoleView[]> {
  const rows = await ctx.store.db.selectFrom('roles').selectAll().orderBy('name').execute();
  return rows.map(toRoleView);
}

export async function findRole(db: Kysely<Database>, id: string): Promise<RoleTable> {
  const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Role ${id} not found`);
  return row;
}

export async function getRole(ctx: AppContext, id: string): Promise<RoleView> {
  return toRoleView(await findRole(ctx.store.db, id));
}

/** What a new custom role starts from: no name, every permission listed and none allowed. */
export function newRoleTemplate(): RoleView {
  return { name: '', description: '', builtIn: false, permissionCategories: permissionCategories(new Set()) };
}

function checkRoleName(name: string | undefined): string {
  const trimmed = name?.trim();
  if (!trimmed) throw new ValidationError('role name is required');
  if (trimmed.length > MAX_ROLE_NAME_LENGTH) throw new ValidationError(`role name must be at most ${MAX_ROLE_NAME_LENGTH} characters long`);
  return trimmed;
}

function checkDescription(description: string | undefined): string {
  const value = (description ?? '').trim();
  if (value.length > MAX_ROLE_DESCRIPTION_LENGTH) {
    throw new ValidationError(`role description must be at most ${MAX_ROLE_DESCRIPTION_LENGTH} characters long`);
  }
  return value;
}

/** The permission ids a role body allows; unknown ids are refused rather than dropped. */
function allowedPermissions(categories: NonNullable<RoleInput['permissionCategories']>): Permission[] {
  const allowed = new Set<Permission>();
  for (const category of categories) {
    for (const permission of category.permissions ?? []) {
      if (!permission.id) throw new ValidationError('every permission needs an id');
      if (!isPermission(permission.id)) throw new ValidationError(`"${permission.id}" is not a permission id (see GET /api/v2/roles/new)`);
      if (permission.allowed) allowed.add(permission.id);
    }
  }
  return [...allowed];
}

/**
 * Role names are unique regardless of case, so two roles never look the same in a list. The check
 * reads every name (a handful of roles) and compares them folded as JavaScript folds them; a unique
 * index on lower(name) (migration 20261208_0300) backs it for two requests that pass it at once.
 */
async function checkNameFree(db: Kysely<Database>, name: string, exceptId?: string): Promise<void> {
  const rows = await db.selectFrom('roles').select(['id', 'name']).execute();
  const clash = rows.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  if (clash) throw new ConflictError(roleNameTaken(clash.name, name));
}

const roleNameTaken = (existing: string, wanted: string) =>
  existing === wanted ? `A role named "${existing}" already exists` : `A role named "${existing}" already exists (role names are compared regardless of case, so "${wanted}" is taken)`;

/**
 * Runs a role write; when the database refuses it as a duplicate name (a concurrent request wrote
 * the same name, perhaps in other case, and committed first), checks again outside the failed
 * transaction so the answer is the same 409, naming the role that won, as the check gives.
 */
async function writeRole(ctx: AppContext, nameOf: () => string | undefined, exceptId: string | undefined, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    const name = nameOf();
    if (name === undefined || !isUniqueViolation(err)) throw err;
    await checkNameFree(ctx.store.db, name, exceptId);
    throw new ConflictError(roleNameTaken(name, name));
  }
}

export async function createRole(ctx: AppContext, input: RoleInput): Promise<RoleView> {
  if (input.id) throw new ValidationError('id is assigned by the server: leave it out when creating a role');
  if (input.builtIn) throw new ValidationError('only custom roles can be created (builtIn must be false)');
  const name = checkRoleName(input.name);
  const description = checkDescription(input.description);
  const permissions = allowedPermissions(input.permissionCategories ?? []);
  const id = newId();
  await writeRole(ctx, () => name, undefined, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      await checkNameFree(trx, name);
      await trx.insertInto('roles').values({ id, name, description, built_in: 0, permissions: JSON.stringify(permissions) }).execute();
    }),
  );
  return getRole(ctx, id);
}

function refuseBuiltIn(row: RoleTable, what: string): void {
  if (row.built_in === 1) {
    throw new ValidationError(`${row.name} is a built-in role and cannot be ${what}; create a custom role instead (POST /api/v2/roles)`);
  }
}

/** Changes a custom role; fields left out stay as they are, permissionCategories replaces the set. */
export async function updateRole(ctx: AppContext, id: string, input: RoleInput): Promise<RoleView> {
  let name: string | undefined;
  await writeRole(ctx, () => name, id, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const row = await findRole(trx, id);
      refuseBuiltIn(row, 'changed');
      if (input.id !== undefined && input.id !== id) throw new ValidationError(`the body's id ${input.id} does not match role ${id} in the path`);
      if (input.builtIn) throw new ValidationError('a custom role cannot be made built-in');
      const changes: Partial<RoleTable> = {};
      if (input.name !== undefined) {
        name = changes.name = checkRoleName(input.name);
        await checkNameFree(trx, name, id);
      }
      if (input.description !== undefined) changes.description = checkDescription(input.description);
      if (input.permissionCategories !== undefined) changes.permissions = JSON.stringify(allowedPermissions(input.permissionCategories));
      if (Object.keys(changes).length) await trx.updateTable('roles').set(changes).where('id', '=', id).execute();
    }),
  );
  return getRole(ctx, id);
}

/** Deletes a custom role and every membership of it. */
export async function deleteRole(ctx: AppContext, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    refuseBuiltIn(await findRole(trx, id), 'deleted');
    await trx.deleteFrom('role_memberships').where('role_id', '=', id).execute();
    await trx.deleteFrom('roles').where('id', '=', id).execute();
  });
}
