import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { ownedBy } from '../owners/owner-filter.js';

/** The lists an owner carries in a Policy Management payload (IQ's documented example has all five). */
export interface OwnerLists {
  policies: Array<{ id: string; name: string; threatLevel: number }>;
  labels: Array<{ id: string; label: string; description: string; color: string; ownerId: string; ownerType: string }>;
  licenseThreatGroups: Array<{ id: string; name: string; threatLevel: number }>;
  tags: Array<{ id: string; name: string; description: string; color: string; organizationId: string }>;
  access: Array<{ id: string; name: string; members: Array<{ type: string; name: string }> }>;
}

/**
 * What an organization or application holds, as it stands in the transaction of the change (so a
 * deleted record is gone and a created one is there): its own policies, labels and license threat
 * groups (inherited ones belong to the owners above), its categories (an organization's defined
 * ones, an application's applied ones) and its role memberships by role. Summaries only, as IQ's
 * example has them: five indexed reads, done only when some webhook subscribes to the event.
 */
export async function ownerLists(db: Kysely<Database>, owner: { type: string; id: string }): Promise<OwnerLists> {
  const key = { type: owner.type, id: owner.id };
  const [policies, labels, groups, tags, memberships] = await Promise.all([
    db.selectFrom('policies').select(['id', 'name', 'threat_level']).where(ownedBy(key)).orderBy('name').orderBy('id').execute(),
    db.selectFrom('component_labels').select(['id', 'label', 'description', 'color', 'owner_id', 'owner_type']).where(ownedBy(key)).orderBy('label').orderBy('id').execute(),
    db.selectFrom('license_threat_groups').select(['id', 'name', 'threat_level']).where(ownedBy(key)).orderBy('name').orderBy('id').execute(),
    owner.type === 'application'
      ? db
          .selectFrom('application_category_assignments as a')
          .innerJoin('application_categories as c', 'c.id', 'a.category_id')
          .select(['c.id', 'c.name', 'c.description', 'c.color', 'c.organization_id'])
          .where('a.application_id', '=', owner.id)
          .orderBy('c.name')
          .execute()
      : owner.type === 'organization'
        ? db.selectFrom('application_categories').select(['id', 'name', 'description', 'color', 'organization_id']).where('organization_id', '=', owner.id).orderBy('name').execute()
        : Promise.resolve([]),
    db
      .selectFrom('role_memberships as m')
      .innerJoin('roles as r', 'r.id', 'm.role_id')
      .select(['r.id', 'r.name', 'm.member_type', 'm.member_name'])
      .where(ownedBy(key, 'm'))
      .orderBy('r.name')
      .orderBy('m.member_type', 'desc')
      .orderBy('m.member_name')
      .execute(),
  ]);
  const access = new Map<string, OwnerLists['access'][number]>();
  for (const m of memberships) {
    const role = access.get(m.id) ?? { id: m.id, name: m.name, members: [] };
    role.members.push({ type: m.member_type, name: m.member_name });
    access.set(m.id, role);
  }
  return {
    policies: policies.map((p) => ({ id: p.id, name: p.name, threatLevel: p.threat_level })),
    labels: labels.map((l) => ({ id: l.id, label: l.label, description: l.description, color: l.color, ownerId: l.owner_id, ownerType: l.owner_type })),
    licenseThreatGroups: groups.map((g) => ({ id: g.id, name: g.name, threatLevel: g.threat_level })),
    tags: tags.map((t) => ({ id: t.id, name: t.name, description: t.description, color: t.color, organizationId: t.organization_id })),
    access: [...access.values()],
  };
}
