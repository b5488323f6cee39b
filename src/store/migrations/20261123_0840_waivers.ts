import type { Kysely } from 'kysely';

/**
 * Policy waivers: a person's decision that a policy's violations by a component (exactly, in any
 * version, or every component) do not count within an organization or application. Like the other
 * owned rows, a waiver names its owner twice: (owner_type, owner_id) for lookups, and the nullable
 * foreign key of its kind so that deleting the owner removes it; deleting the policy removes it too.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_waivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id').onDelete('cascade'))
    .addColumn('matcher_strategy', 'text', (c) => c.notNull())
    .addColumn('component_hash', 'text')
    .addColumn('package_url', 'text')
    .addColumn('component_identifier', 'text')
    .addColumn('display_name', 'text')
    .addColumn('policy_violation_id', 'text')
    .addColumn('constraint_facts', 'text')
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('reason_id', 'text')
    .addColumn('expiry_time', 'text')
    .addColumn('expire_when_remediation_available', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('creator_id', 'text')
    .addColumn('creator_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_waivers_owner').on('policy_waivers').columns(['owner_type', 'owner_id']).execute();
  await db.schema.createIndex('policy_waivers_organization').on('policy_waivers').column('organization_id').execute();
  await db.schema.createIndex('policy_waivers_application').on('policy_waivers').column('application_id').execute();
  await db.schema.createIndex('policy_waivers_policy').on('policy_waivers').column('policy_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_waivers').ifExists().execute();
}
