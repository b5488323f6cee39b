import { sql } from 'kysely';
import type { Store } from '../store/db.js';
import { NotFoundError } from '../core/errors.js';

/** The organization ids from the root down to `organizationId` (inclusive). */
export async function organizationAncestry(store: Store, organizationId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM organizations WHERE id = ${organizationId}
      UNION ALL
      SELECT o.id, o.parent_id, c.depth + 1 FROM organizations o JOIN chain c ON o.id = c.parent_id
    )
    SELECT id FROM chain ORDER BY depth DESC`.execute(store.db);
  if (rows.length === 0) throw new NotFoundError(`Organization ${organizationId} not found`);
  return rows.map((r) => r.id);
}

/** Every organization id below `organizationId` (exclusive), at any depth. */
export async function organizationDescendants(store: Store, organizationId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE below(id) AS (
      SELECT id FROM organizations WHERE parent_id = ${organizationId}
      UNION ALL
      SELECT o.id FROM organizations o JOIN below b ON o.parent_id = b.id
    )
    SELECT id FROM below`.execute(store.db);
  return rows.map((r) => r.id);
}

/** An organization or application as something that owns definitions (policies, license threat groups). */
export interface NamedOwner {
  type: 'organization' | 'application';
  id: string;
  name: string;
}

/**
 * The organization or application `ownerId` names, with its name; NotFoundError when there is
 * none, undefined when `ownerType` is neither (each caller says what its definitions belong to).
 */
export async function findNamedOwner(store: Store, ownerType: string, ownerId: string): Promise<NamedOwner | undefined> {
  if (ownerType === 'organization') {
    const row = await store.db.selectFrom('organizations').select(['id', 'name']).where('id', '=', ownerId).executeTakeFirst();
    if (!row) throw new NotFoundError(`Organization ${ownerId} not found`);
    return { type: 'organization', id: row.id, name: row.name };
  }
  if (ownerType === 'application') {
    const row = await store.db.selectFrom('applications').select(['id', 'name']).where('id', '=', ownerId).executeTakeFirst();
    if (!row) throw new NotFoundError(`Application ${ownerId} not found`);
    return { type: 'application', id: row.id, name: row.name };
  }
  return undefined;
}

/** The organization an owner is or belongs to. */
export async function organizationOfOwner(store: Store, owner: { type: string; id: string }): Promise<string> {
  if (owner.type !== 'application') return owner.id;
  const app = await store.db.selectFrom('applications').select('organization_id').where('id', '=', owner.id).executeTakeFirstOrThrow();
  return app.organization_id;
}

/** The owner and every organization above it, from the root down (an application owner last). */
export async function namedOwnerLine<O extends { type: string; id: string; name: string }>(
  store: Store,
  owner: O,
): Promise<Array<O | { type: 'organization'; id: string; name: string }>> {
  const ids = await organizationAncestry(store, await organizationOfOwner(store, owner));
  const rows = await store.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const line: Array<O | { type: 'organization'; id: string; name: string }> = ids.map((id) => ({ type: 'organization', id, name: names.get(id) ?? id }));
  if (owner.type === 'application') line.push(owner);
  return line;
}
