import type { Store } from '../../store/db.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { organizationAncestry } from '../owners/organization-tree.js';
import { GLOBAL_PERMISSIONS, type Permission } from './permissions.js';

/** Where a permission is asked for. Organization and application scopes inherit from above. */
export type Scope =
  | { type: 'global' }
  | { type: 'organization'; id: string }
  | { type: 'application'; id: string };

export const GLOBAL: Scope = { type: 'global' };

/** The authenticated caller. */
export interface Principal {
  username: string;
  groups: string[];
  /** How they authenticated: `password`, `token`, `proxy` or a web UI `session`. */
  method: 'password' | 'token' | 'proxy' | 'session';
}

/** The (owner_type, owner_id) pairs whose memberships apply to a scope, from global down. */
export async function ownerChain(store: Store, scope: Scope): Promise<Array<[string, string]>> {
  const chain: Array<[string, string]> = [['global', 'global']];
  if (scope.type === 'global') return chain;
  let organizationId = scope.id;
  if (scope.type === 'application') {
    const app = await store.db
      .selectFrom('applications')
      .select('organization_id')
      .where('id', '=', scope.id)
      .executeTakeFirst();
    if (!app) throw new NotFoundError(`Application ${scope.id} not found`);
    organizationId = app.organization_id;
  }
  for (const id of await organizationAncestry(store, organizationId)) chain.push(['organization', id]);
  if (scope.type === 'application') chain.push(['application', scope.id]);
  return chain;
}

/** The principal's role memberships, its own and its groups': where each is held and what its role permits. */
function membershipsOf(store: Store, principal: Principal) {
  return store.db
    .selectFrom('role_memberships as m')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .select(['m.owner_type', 'm.owner_id', 'r.permissions'])
    .where((eb) =>
      eb.or([
        eb.and([eb('m.member_type', '=', 'USER'), eb('m.member_name', '=', principal.username)]),
        ...(principal.groups.length ? [eb.and([eb('m.member_type', '=', 'GROUP'), eb('m.member_name', 'in', principal.groups)])] : []),
      ]),
    )
    .execute();
}

/** The permissions a principal holds on a scope through its own and its groups' role memberships. */
export async function permissionsOn(store: Store, principal: Principal, scope: Scope): Promise<Set<Permission>> {
  const chain = await ownerChain(store, scope);
  const rows = await membershipsOf(store, principal);
  const applies = new Set(chain.map(([t, id]) => `${t}\u0000${id}`));
  const granted = new Set<Permission>();
  for (const row of rows) {
    if (!applies.has(`${row.owner_type}\u0000${row.owner_id}`)) continue;
    for (const p of JSON.parse(row.permissions) as Permission[]) {
      // System permissions count only where they were granted globally.
      if (GLOBAL_PERMISSIONS.has(p) && row.owner_type !== 'global') continue;
      granted.add(p);
    }
  }
  return granted;
}

export async function hasPermission(store: Store, principal: Principal, permission: Permission, scope: Scope = GLOBAL): Promise<boolean> {
  return (await permissionsOn(store, principal, scope)).has(permission);
}

/** Throws ForbiddenError unless the principal holds `permission` on `scope`. */
export async function requirePermission(store: Store, principal: Principal, permission: Permission, scope: Scope = GLOBAL): Promise<void> {
  if (!(await hasPermission(store, principal, permission, scope))) {
    const where = scope.type === 'global' ? '' : ` on ${scope.type} ${scope.id}`;
    throw new ForbiddenError(`Permission ${permission} is required${where}.`);
  }
}

export interface VisibleOwners {
  organizations: Set<string>;
  /** Every application visible: those of the organizations, and those granted on their own. */
  applications: Set<string>;
  /** The applications visible although their organization is not, with their organization's id. */
  directApplications: Map<string, string>;
  /** Every organization (hence every application) is visible. */
  everything: boolean;
}

/**
 * Whether a principal holds `permission` on every organization and application (globally, or on
 * the root organization when it is the only root), read without the whole tree: what visibleOwners
 * calls `everything`, for callers that need only that (a cached listing's scope).
 */
export async function holdsEverywhere(store: Store, principal: Principal, permission: Permission): Promise<boolean> {
  const [memberships, roots] = await Promise.all([
    membershipsOf(store, principal),
    store.db.selectFrom('organizations').select('id').where('parent_id', 'is', null).limit(2).execute(),
  ]);
  const soleRoot = roots.length === 1 ? roots[0].id : undefined;
  return memberships.some(
    (m) =>
      (m.owner_type === 'global' || (m.owner_type === 'organization' && m.owner_id === soleRoot)) &&
      (JSON.parse(m.permissions) as string[]).includes(permission),
  );
}

/**
 * The organizations and applications on which a principal holds `permission`, computed in one pass
 * over the tree rather than one query per item (for listings).
 */
export async function visibleOwners(
  store: Store,
  principal: Principal,
  permission: Permission,
): Promise<VisibleOwners> {
  const [orgs, apps, memberships] = await Promise.all([
    store.db.selectFrom('organizations').select(['id', 'parent_id']).execute(),
    store.db.selectFrom('applications').select(['id', 'organization_id']).execute(),
    membershipsOf(store, principal),
  ]);
  const grantedOn = new Set<string>();
  let global = false;
  for (const m of memberships) {
    if (!(JSON.parse(m.permissions) as string[]).includes(permission)) continue;
    if (m.owner_type === 'global') global = true;
    else grantedOn.add(`${m.owner_type}:${m.owner_id}`);
  }
  const children = new Map<string | null, string[]>();
  for (const o of orgs) {
    const list = children.get(o.parent_id) ?? [];
    list.push(o.id);
    children.set(o.parent_id, list);
  }
  const organizations = new Set<string>();
  const walk = (id: string, inherited: boolean) => {
    const has = inherited || grantedOn.has(`organization:${id}`);
    if (has) organizations.add(id);
    for (const child of children.get(id) ?? []) walk(child, has);
  };
  for (const root of children.get(null) ?? []) walk(root, global);
  const applications = new Set<string>();
  const directApplications = new Map<string, string>();
  for (const a of apps) {
    if (organizations.has(a.organization_id)) applications.add(a.id);
    else if (grantedOn.has(`application:${a.id}`)) {
      applications.add(a.id);
      directApplications.set(a.id, a.organization_id);
    }
  }
  return { organizations, applications, directApplications, everything: organizations.size === orgs.length };
}
