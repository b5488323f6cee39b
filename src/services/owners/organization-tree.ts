import { sql } from 'kysely';
import type { Store } from '../../store/db.js';
import { NotFoundError } from '../../core/errors.js';

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
