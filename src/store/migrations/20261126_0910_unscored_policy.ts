import type { Kysely } from 'kysely';
import { referencePolicies } from '../../policy/reference-policies.js';

/**
 * The reference policy Security-Unscored (policy/reference-policies.ts) for installations that got
 * the reference set before it existed: added to the root organization unless it already has it
 * (by id, or a policy of that name someone made). New installations get it with the set itself.
 */
const NAME = 'Security-Unscored';
const ROOT = 'ROOT_ORGANIZATION_ID';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  const policy = referencePolicies(ROOT).find((p) => p.name === NAME);
  if (!policy) throw new Error(`the reference policies have no ${NAME}`);
  const present = await db
    .selectFrom('policies')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', policy.id), eb.and([eb('owner_type', '=', 'organization'), eb('owner_id', '=', ROOT), eb('name_key', '=', NAME.toLowerCase())])]))
    .executeTakeFirst();
  if (present) return;
  const now = new Date().toISOString();
  await db
    .insertInto('policies')
    .values({
      id: policy.id,
      owner_type: policy.ownerType,
      owner_id: policy.ownerId,
      name: policy.name,
      name_key: policy.name.toLowerCase(),
      threat_level: policy.threatLevel,
      actions: JSON.stringify(policy.actions),
      constraints: JSON.stringify(policy.constraints),
      tag_ids: JSON.stringify(policy.tagIds),
      notifications: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Leaves the policy: after it is added it is the installation's own, perhaps edited or waived against. */
export async function down(): Promise<void> {}
