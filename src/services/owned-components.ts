import type { ComponentIdentifier, ResolvedComponent } from '../ecosystems/identity.js';
import type { AppContext } from '../core/context.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { organizationAncestry } from './organization-tree.js';

/**
 * What license overrides, security overrides and applied labels share: the organization or
 * application they belong to (inherited down the tree), and the component they are about.
 */

/** The owner types the reference names in override paths; Tollgate keeps organizations and applications. */
export const OVERRIDE_OWNER_TYPES = ['application', 'organization', 'repository_container', 'repository_manager', 'repository'] as const;

export interface ComponentOwner {
  type: 'organization' | 'application';
  id: string;
  name: string;
  /** applications only */
  publicId?: string;
  /** the organization itself, or the application's organization */
  organizationId: string;
}

/** The organization or application a path names: 404 for unknown ones and for repositories. */
export async function resolveComponentOwner(ctx: AppContext, ownerType: string, ownerId: string): Promise<ComponentOwner> {
  if (ownerType === 'organization') {
    const org = await ctx.store.db.selectFrom('organizations').select(['id', 'name']).where('id', '=', ownerId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${ownerId} not found`);
    return { type: 'organization', id: org.id, name: org.name, organizationId: org.id };
  }
  if (ownerType === 'application') {
    const app = await ctx.store.db
      .selectFrom('applications')
      .select(['id', 'name', 'public_id', 'organization_id'])
      .where('id', '=', ownerId)
      .executeTakeFirst();
    if (!app) throw new NotFoundError(`Application ${ownerId} not found`);
    return { type: 'application', id: app.id, name: app.name, publicId: app.public_id, organizationId: app.organization_id };
  }
  if ((OVERRIDE_OWNER_TYPES as readonly string[]).includes(ownerType)) {
    throw new NotFoundError(`No ${ownerType} ${ownerId}: Tollgate has no repositories (they belong to Nexus Repository Firewall)`);
  }
  throw new ValidationError(`ownerType must be organization or application, not "${ownerType}"`);
}

/** The owner and every organization above it: the owner first (nearest), the root organization last. */
export async function ownersUpward(ctx: AppContext, owner: ComponentOwner): Promise<ComponentOwner[]> {
  const chain = (await organizationAncestry(ctx.store, owner.organizationId)).reverse();
  const orgs = await ctx.store.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', chain).execute();
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const upward: ComponentOwner[] = chain.map((id) => ({ type: 'organization', id, name: names.get(id) ?? id, organizationId: id }));
  return owner.type === 'application' ? [owner, ...upward] : upward;
}

/** The owner columns of a row that belongs to `owner` (the foreign key of its kind cascades deletes). */
export function ownerColumns(owner: ComponentOwner) {
  return {
    owner_type: owner.type,
    owner_id: owner.id,
    organization_id: owner.type === 'organization' ? owner.id : null,
    application_id: owner.type === 'application' ? owner.id : null,
  };
}

/** A component as override rows store it: keyed by canonical package URL where known, else by hash. */
export interface ComponentColumns {
  component_key: string;
  component_hash: string | null;
  package_url: string | null;
  component_identifier: string | null;
}

export function componentKey(component: { hash: string | null; packageUrl: string | null }): string {
  if (component.packageUrl) return `purl:${component.packageUrl}`;
  if (component.hash) return `hash:${component.hash}`;
  throw new ValidationError('A component needs a hash, a componentIdentifier or a packageUrl');
}

export function componentColumns(component: ResolvedComponent): ComponentColumns {
  return {
    component_key: componentKey(component),
    component_hash: component.hash,
    package_url: component.packageUrl,
    component_identifier: component.componentIdentifier ? JSON.stringify(component.componentIdentifier) : null,
  };
}

export function parseIdentifierColumn(value: string | null): ComponentIdentifier | null {
  return value ? (JSON.parse(value) as ComponentIdentifier) : null;
}

/** Deletes one row an owner holds in `table` by id; NotFoundError (naming `what`) when the owner has none such. */
export async function deleteOwnedRow(
  ctx: AppContext,
  table: 'license_overrides' | 'security_overrides',
  owner: ComponentOwner,
  id: string,
  what: string,
): Promise<void> {
  const result = await ctx.store.db
    .deleteFrom(table)
    .where('id', '=', id)
    .where('owner_type', '=', owner.type)
    .where('owner_id', '=', owner.id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`${what} ${id} not found on ${owner.type} ${owner.id}`);
}
