import type { ManagementAction } from '../webhooks/event-types.js';
import { payloadOwner, raisePolicyManagement } from '../webhooks/management-events.js';
import type { Kysely } from 'kysely';
import type { Store } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { builtInRoleId } from './bootstrap.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { ownerLine } from '../owners/owner-line.js';
import { type Owner, REPOSITORY_OWNER_TYPES, resolveOwner } from '../owners/owner.js';
import { findRole } from './roles.js';
import { ownedBy, ownsRow } from '../owners/owner-filter.js';

/** Where a role is granted: everywhere (global), or on an organization or application and below. */
export type MembershipOwner = Owner | GlobalOwner;

/** Role memberships alone have an owner above the root organization: the whole server. */
export interface GlobalOwner {
  type: 'global';
  id: 'global';
  name: 'Global';
}

export type MemberType = 'USER' | 'GROUP';

export interface MemberRef {
  type: MemberType;
  name: string;
}

export const GLOBAL_OWNER: GlobalOwner = { type: 'global', id: 'global', name: 'Global' };
export const MAX_MEMBER_NAME_LENGTH = 200;

/** The owner named by a route's ownerType and id. Applications may be named by internal or public id. */
export async function resolveMembershipOwner(store: Store, ownerType: string, ownerId?: string): Promise<MembershipOwner> {
  if (REPOSITORY_OWNER_TYPES.includes(ownerType)) {
    throw new ValidationError(`owner type ${ownerType} is not supported: Tollgate has no repositories (Firewall)`);
  }
  if (ownerType === 'global') return GLOBAL_OWNER;
  if (!ownerId) throw new ValidationError(`owner type ${ownerType} needs an owner id`);
  return resolveOwner(store, ownerType, ownerId, {
    byPublicId: true,
    refuse: () => new ValidationError(`owner type "${ownerType}" is not one of global, organization, application`),
  });
}

/** The owners whose memberships apply on `owner`: itself first, then its parent organizations up to the root. */
async function inheritanceChain(store: Store, owner: MembershipOwner): Promise<MembershipOwner[]> {
  return owner.type === 'global' ? [owner] : ownerLine(store, owner);
}

export function checkMember(memberType: string | undefined, memberName: string | undefined): MemberRef {
  if (!memberType) throw new ValidationError('member type is required (USER or GROUP)');
  const type = memberType.toUpperCase();
  if (type !== 'USER' && type !== 'GROUP') throw new ValidationError(`member type "${memberType}" is not one of USER, GROUP`);
  const name = memberName?.trim();
  if (!name) throw new ValidationError('member name is required');
  if (name.length > MAX_MEMBER_NAME_LENGTH) throw new ValidationError(`member name must be at most ${MAX_MEMBER_NAME_LENGTH} characters long`);
  return { type, name };
}

/** Users must exist; groups come from outside (a directory or the reverse proxy), so any name is taken. */
async function checkMembersExist(db: Kysely<Database>, members: MemberRef[]): Promise<void> {
  const usernames = [...new Set(members.filter((m) => m.type === 'USER').map((m) => m.name))];
  if (usernames.length === 0) return;
  const found = new Set((await db.selectFrom('users').select('username').where('username', 'in', usernames).execute()).map((u) => u.username));
  const missing = usernames.filter((u) => !found.has(u));
  if (missing.length) throw new NotFoundError(`User${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found`);
}

/** How many existing users hold the built-in System Administrator role globally. */
export async function systemAdministratorCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('role_memberships as m')
    .innerJoin('users as u', 'u.username', 'm.member_name')
    .select((eb) => eb.fn.count<number>('u.username').distinct().as('n'))
    .where('m.owner_type', '=', 'global')
    .where('m.role_id', '=', builtInRoleId('System Administrator'))
    .where('m.member_type', '=', 'USER')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inside a change's transaction: refuses it (409) when it took the System Administrator role from its last user. */
export async function assertAdministratorRemains(db: Kysely<Database>, before: number, message: string): Promise<void> {
  if (before > 0 && (await systemAdministratorCount(db)) === 0) throw new ConflictError(message);
}

const LAST_ADMIN = 'At least one user must keep the System Administrator role globally: grant it to another user first';

export async function grantRole(ctx: AppContext, owner: MembershipOwner, roleId: string, member: MemberRef): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const role = await findRole(trx, roleId);
    await checkMembersExist(trx, [member]);
    await trx
      .insertInto('role_memberships')
      .values({ owner_type: owner.type, owner_id: owner.id, role_id: roleId, member_type: member.type, member_name: member.name })
      .onConflict((oc) => oc.columns(['owner_type', 'owner_id', 'role_id', 'member_type', 'member_name']).doNothing())
      .execute();
    await raiseAccessChange(trx, ctx, owner, role, 'CREATE', [member]);
  });
}

export async function revokeRole(ctx: AppContext, owner: MembershipOwner, roleId: string, member: MemberRef): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const role = await findRole(trx, roleId);
    const before = await systemAdministratorCount(trx);
    const result = await trx
      .deleteFrom('role_memberships')
      .where(ownedBy(owner))
      .where('role_id', '=', roleId)
      .where('member_type', '=', member.type)
      .where('member_name', '=', member.name)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new NotFoundError(`${member.type === 'USER' ? 'User' : 'Group'} ${member.name} does not hold role ${role.name} on ${describe(owner)}`);
    }
    await assertAdministratorRemains(trx, before, LAST_ADMIN);
    await raiseAccessChange(trx, ctx, owner, role, 'DELETE', [member]);
  });
}

/** Replaces every member of one role on one owner with `members`, all or nothing. */
export async function setRoleMembers(ctx: AppContext, owner: MembershipOwner, roleId: string, members: MemberRef[]): Promise<void> {
  const unique = [...new Map(members.map((m) => [`${m.type}\u0000${m.name}`, m])).values()];
  await ctx.store.db.transaction().execute(async (trx) => {
    const role = await findRole(trx, roleId);
    await checkMembersExist(trx, unique);
    const before = await systemAdministratorCount(trx);
    await trx
      .deleteFrom('role_memberships')
      .where(ownedBy(owner))
      .where('role_id', '=', roleId)
      .execute();
    for (const m of unique) {
      await trx
        .insertInto('role_memberships')
        .values({ owner_type: owner.type, owner_id: owner.id, role_id: roleId, member_type: m.type, member_name: m.name })
        .execute();
    }
    await assertAdministratorRemains(trx, before, LAST_ADMIN);
    await raiseAccessChange(trx, ctx, owner, role, 'UPDATE', unique);
  });
}

/** `iq:policyManagement` of type ACCESS: the owner's `access` names the role and the members changed. */
function raiseAccessChange(trx: Kysely<Database>, ctx: AppContext, owner: MembershipOwner, role: { id: string; name: string }, action: ManagementAction, members: MemberRef[]) {
  return raisePolicyManagement(trx, ctx, {
    type: 'ACCESS',
    action,
    id: owner.id,
    owner: owner.type === 'global' ? { type: 'global', id: owner.id, name: owner.name } : payloadOwner(owner),
    item: { list: 'access', value: { id: role.id, name: role.name, members: members.map((m) => ({ type: m.type, name: m.name })) } },
  });
}

function describe(owner: MembershipOwner): string {
  return owner.type === 'global' ? 'the global context' : `${owner.type} ${owner.id}`;
}

interface MembershipRow {
  owner_type: string;
  owner_id: string;
  role_id: string;
  member_type: string;
  member_name: string;
}

async function membershipsOn(db: Kysely<Database>, chain: MembershipOwner[]): Promise<MembershipRow[]> {
  const rows = await db
    .selectFrom('role_memberships')
    .selectAll()
    .where(ownedBy(chain))
    .orderBy('member_type', 'desc')
    .orderBy('member_name')
    .execute();
  // Keep the chain's order: the owner's own memberships first, then its parents'.
  const rank = new Map(chain.map((o, i) => [`${o.type}\u0000${o.id}`, i]));
  return rows.sort((a, b) => rank.get(`${a.owner_type}\u0000${a.owner_id}`)! - rank.get(`${b.owner_type}\u0000${b.owner_id}`)!);
}

export interface RoleMemberMappingList {
  memberMappings: Array<{
    roleId: string;
    members: Array<{ ownerId: string; ownerType: string; type: MemberType; userOrGroupName: string }>;
  }>;
}

/** Who holds which role on `owner`, including those who hold it on a parent organization. */
export async function memberMappings(ctx: AppContext, owner: MembershipOwner): Promise<RoleMemberMappingList> {
  const rows = await membershipsOn(ctx.store.db, await inheritanceChain(ctx.store, owner));
  const byRole = new Map<string, RoleMemberMappingList['memberMappings'][number]>();
  for (const r of rows) {
    let mapping = byRole.get(r.role_id);
    if (!mapping) {
      mapping = { roleId: r.role_id, members: [] };
      byRole.set(r.role_id, mapping);
    }
    mapping.members.push({ ownerId: r.owner_id, ownerType: r.owner_type, type: r.member_type as MemberType, userOrGroupName: r.member_name });
  }
  return { memberMappings: [...byRole.values()] };
}

export interface MemberDetails {
  type: MemberType;
  internalName: string;
  displayName: string;
  email?: string;
  realm?: string;
}

export interface ApplicableMembershipMappings {
  membersByRole: Array<{
    roleId: string;
    roleName: string;
    roleDescription: string;
    membersByOwner: Array<{ ownerId: string; ownerName: string; ownerType: string; members: MemberDetails[] }>;
  }>;
  groupSearchEnabled: boolean;
}

/** Every role, with its members on `owner` and on each parent organization, grouped by where they were granted. */
export async function applicableMappings(ctx: AppContext, owner: MembershipOwner): Promise<ApplicableMembershipMappings> {
  const { db } = ctx.store;
  const chain = await inheritanceChain(ctx.store, owner);
  const [roles, rows] = await Promise.all([
    db.selectFrom('roles').select(['id', 'name', 'description']).orderBy('name').execute(),
    membershipsOn(db, chain),
  ]);
  const usernames = [...new Set(rows.filter((r) => r.member_type === 'USER').map((r) => r.member_name))];
  const users = usernames.length
    ? await db.selectFrom('users').select(['username', 'first_name', 'last_name', 'email', 'realm']).where('username', 'in', usernames).execute()
    : [];
  const userByName = new Map(users.map((u) => [u.username, u]));
  const details = (r: MembershipRow): MemberDetails => {
    const user = r.member_type === 'USER' ? userByName.get(r.member_name) : undefined;
    const fullName = [user?.first_name, user?.last_name].filter(Boolean).join(' ');
    return {
      type: r.member_type as MemberType,
      internalName: r.member_name,
      displayName: fullName || r.member_name,
      ...(user?.email ? { email: user.email } : {}),
      ...(user ? { realm: user.realm } : {}),
    };
  };
  return {
    membersByRole: roles.map((role) => ({
      roleId: role.id,
      roleName: role.name,
      roleDescription: role.description,
      membersByOwner: chain
        .map((o) => ({
          ownerId: o.id,
          ownerName: o.name,
          ownerType: o.type,
          members: rows.filter((r) => r.role_id === role.id && ownsRow(o, r)).map(details),
        }))
        .filter((group) => group.members.length > 0),
    })),
    // Tollgate has no user directory to search groups in.
    groupSearchEnabled: false,
  };
}

/**
 * The owner a role membership route names: global without an owner id; an organization, or an
 * application by id or public id, with one.
 */
export async function membershipOwner(ctx: AppContext, ownerType: string, internalOwnerId?: string): Promise<MembershipOwner> {
  if (internalOwnerId !== undefined && ownerType === 'global') {
    throw new ValidationError('global role memberships have no owner id: use /api/v2/roleMemberships/global');
  }
  return resolveMembershipOwner(ctx.store, ownerType, internalOwnerId);
}
