import type { Store } from '../../store/db.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';

/**
 * An owner: what IQ's paths name as `/{ownerType}/{ownerId}` and what stored decisions belong to
 * (policies, license threat groups, overrides, labels, waivers, proprietary patterns, role
 * memberships). Tollgate keeps organizations (the root organization among them) and applications;
 * the reference's repository owner types belong to Nexus Repository Firewall and name nothing here.
 */

/** The reference's other owner types (after application and organization): Tollgate has no repositories. */
export const REPOSITORY_OWNER_TYPES: readonly string[] = ['repository_container', 'repository_manager', 'repository'];

export type OwnerType = 'organization' | 'application';

export interface Owner {
  type: OwnerType;
  /** internal id */
  id: string;
  name: string;
  /** The organization itself, or the application's organization: where the walk up the tree starts. */
  organizationId: string;
  /** applications only */
  publicId?: string;
}

/** What an owner is known by in stored rows (`owner_type`, `owner_id`). */
export interface OwnerKey {
  type: string;
  id: string;
}

/**
 * The error for an owner type that names no organization or application. Each area words it its
 * own way (clients and tests read these messages), so the resolver takes it as a parameter.
 */
export type OwnerTypeRefusal = (ownerType: string, ownerId: string) => Error;

/** What paths of stored decisions about components answer for anything but organizations and applications. */
export const refuseComponentOwnerType: OwnerTypeRefusal = (ownerType, ownerId) =>
  REPOSITORY_OWNER_TYPES.includes(ownerType)
    ? new NotFoundError(`No ${ownerType} ${ownerId}: Tollgate has no repositories (they belong to Nexus Repository Firewall)`)
    : new ValidationError(`ownerType must be organization or application, not "${ownerType}"`);

export interface ResolveOwnerOptions {
  /** The error for other owner types (default: refuseComponentOwnerType). */
  refuse?: OwnerTypeRefusal;
  /** Applications may also be named by their public id (role memberships: the reference's UI does so). */
  byPublicId?: boolean;
}

/** The organization or application a path names; NotFoundError when there is none. */
export async function resolveOwner(store: Store, ownerType: string, ownerId: string, options: ResolveOwnerOptions = {}): Promise<Owner> {
  const { db } = store;
  if (ownerType === 'organization') {
    const org = await db.selectFrom('organizations').select(['id', 'name']).where('id', '=', ownerId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${ownerId} not found`);
    return { type: 'organization', id: org.id, name: org.name, organizationId: org.id };
  }
  if (ownerType === 'application') {
    const columns = ['id', 'name', 'public_id', 'organization_id'] as const;
    const app =
      (await db.selectFrom('applications').select(columns).where('id', '=', ownerId).executeTakeFirst()) ??
      (options.byPublicId ? await db.selectFrom('applications').select(columns).where('public_id', '=', ownerId).executeTakeFirst() : undefined);
    if (!app) throw new NotFoundError(`Application ${ownerId} not found`);
    return { type: 'application', id: app.id, name: app.name, publicId: app.public_id, organizationId: app.organization_id };
  }
  throw (options.refuse ?? refuseComponentOwnerType)(ownerType, ownerId);
}
