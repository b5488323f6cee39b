import { type Expression, type SqlBool, sql } from 'kysely';
import type { OwnerKey } from './owner.js';

/**
 * The where-clause selecting the rows of an owner, or of any of several owners, in a table that
 * keeps its owner as `owner_type` and `owner_id` (every table of stored decisions does). Ids are
 * unique per owner type only in principle, so both columns are compared. `table` qualifies the
 * columns when the query joins another table that has them too (`policy_waivers as w` joined with
 * `policies`). No owners selects no rows.
 */
export function ownedBy(owners: OwnerKey | readonly OwnerKey[], table?: string): Expression<SqlBool> {
  const list: readonly OwnerKey[] = Array.isArray(owners) ? owners : [owners as OwnerKey];
  if (list.length === 0) return sql<SqlBool>`1 = 0`;
  const type = sql.ref(table ? `${table}.owner_type` : 'owner_type');
  const id = sql.ref(table ? `${table}.owner_id` : 'owner_id');
  const one = (o: OwnerKey) => sql<SqlBool>`(${type} = ${o.type} and ${id} = ${o.id})`;
  return list.length === 1 ? one(list[0]) : sql<SqlBool>`(${sql.join(list.map(one), sql` or `)})`;
}

/** The same selection on rows already read: whether `row` is one of `owner`'s (when rows of a whole line are split by owner). */
export function ownsRow(owner: OwnerKey, row: { owner_type: string; owner_id: string }): boolean {
  return row.owner_type === owner.type && row.owner_id === owner.id;
}
