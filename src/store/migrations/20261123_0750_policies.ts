import type { Kysely } from 'kysely';
import { referencePolicies } from '../../policy/reference-policies.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('threat_level', 'integer', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('constraints', 'text', (c) => c.notNull())
    .addColumn('tag_ids', 'text', (c) => c.notNull())
    .addColumn('notifications', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policies_owner_name').on('policies').columns(['owner_type', 'owner_id', 'name_key']).unique().execute();

  // The reference policy set, on the root organization, as this release defines it. Later releases
  // change an installation's policies only through its own edits.
  const now = new Date().toISOString();
  for (const p of referencePolicies()) {
    await db
      .insertInto('policies')
      .values({
        id: p.id,
        owner_type: p.ownerType,
        owner_id: p.ownerId,
        name: p.name,
        name_key: p.name.trim().toLowerCase(),
        threat_level: p.threatLevel,
        actions: JSON.stringify(p.actions),
        constraints: JSON.stringify(p.constraints),
        tag_ids: JSON.stringify(p.tagIds),
        notifications: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policies').execute();
}
