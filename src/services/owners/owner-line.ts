import type { Store } from '../../store/db.js';
import { organizationAncestry } from './organization-tree.js';
import type { Owner } from './owner.js';

/**
 * The owner and every organization above it, nearest first: the owner, its organization (for an
 * application), each parent organization, the root organization last. Everything an owner inherits
 * (policies, threat groups, overrides, labels, waivers, patterns, role memberships) is read along
 * this line; a caller that lists from the root down reverses it.
 */
export async function ownerLine(store: Store, owner: Owner): Promise<Owner[]> {
  const ids = (await organizationAncestry(store, owner.organizationId)).reverse();
  const rows = await store.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const organizations = ids.map((id): Owner => ({ type: 'organization', id, name: names.get(id) ?? id, organizationId: id }));
  return owner.type === 'application' ? [owner, ...organizations] : organizations;
}
