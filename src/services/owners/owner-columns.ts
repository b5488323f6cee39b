import type { Owner } from './owner.js';

/**
 * The owner columns of a row an owner holds (labels, overrides, waivers, patterns): its type and
 * id, which `ownedBy` selects by, and the foreign key of its kind, which removes the row when the
 * organization or application is deleted (on both databases).
 */
export function ownerColumns(owner: Pick<Owner, 'type' | 'id'>) {
  return {
    owner_type: owner.type,
    owner_id: owner.id,
    organization_id: owner.type === 'organization' ? owner.id : null,
    application_id: owner.type === 'application' ? owner.id : null,
  };
}
