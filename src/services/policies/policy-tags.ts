import type { Kysely } from 'kysely';
import type { Constraint } from '../../policy/model.js';
import type { Database } from '../../store/schema.js';
import { stableId } from '../../core/ids.js';

/**
 * Policy tags: the reference's PolicyTag rows, one per policy and application category it uses.
 * Tollgate keeps no rows of its own for them: a policy uses a category when it is limited to it
 * (`tagIds`, what the reference's rows are) or tests it in an ApplicationCategory condition
 * (Tollgate's own way of limiting one constraint).
 */

export interface PolicyTag {
  id: string;
  policyId: string;
  tagId: string;
}

/** A category in use: the policy using it and how, for messages. */
export interface CategoryUse extends PolicyTag {
  policyName: string;
  ownerType: string;
  ownerId: string;
}

/** A PolicyTag row has no id of its own: this one is stable for a (policy, category) pair. */
export function policyTagId(policyId: string, tagId: string): string {
  return stableId(`policy-tag:${policyId}:${tagId}`);
}

/**
 * Every use of the given categories by a policy, ordered by policy name, then category. Runs on
 * the database or a transaction. Policies are found by a text match on their JSON columns, then
 * read to confirm, so only policies naming one of the ids are parsed.
 */
export async function policiesUsingCategories(db: Kysely<Database>, categoryIds: readonly string[]): Promise<CategoryUse[]> {
  const wanted = new Set(categoryIds);
  if (!wanted.size) return [];
  const out: CategoryUse[] = [];
  const ids = [...wanted];
  for (let i = 0; i < ids.length; i += 100) {
    const part = ids.slice(i, i + 100);
    const rows = await db
      .selectFrom('policies')
      .select(['id', 'name', 'owner_type', 'owner_id', 'tag_ids', 'constraints'])
      .where((eb) => eb.or(part.flatMap((id) => [eb('tag_ids', 'like', `%${id}%`), eb('constraints', 'like', `%${id}%`)])))
      .execute();
    for (const row of rows) {
      const used = new Set<string>();
      for (const tagId of JSON.parse(row.tag_ids) as string[]) if (part.includes(tagId)) used.add(tagId);
      for (const c of JSON.parse(row.constraints) as Constraint[]) {
        for (const d of c.conditions) if (d.conditionTypeId === 'ApplicationCategory' && part.includes(d.value.trim())) used.add(d.value.trim());
      }
      for (const tagId of used) {
        out.push({ id: policyTagId(row.id, tagId), policyId: row.id, tagId, policyName: row.name, ownerType: row.owner_type, ownerId: row.owner_id });
      }
    }
  }
  return out.sort((a, b) => a.policyName.localeCompare(b.policyName) || a.policyId.localeCompare(b.policyId) || a.tagId.localeCompare(b.tagId));
}
