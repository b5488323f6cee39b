import type { Kysely } from 'kysely';

/**
 * Proprietary component patterns per organization or application (store/tables/proprietary.ts).
 * The owner is named twice, as the component overrides do: (owner_type, owner_id) as the key, and
 * the nullable foreign key of its kind so that deleting the owner removes the row on both databases.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proprietary_components')
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('package_url_patterns', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('proprietary_components_pk', ['owner_type', 'owner_id'])
    .execute();
  await db.schema.createIndex('proprietary_components_organization').on('proprietary_components').column('organization_id').execute();
  await db.schema.createIndex('proprietary_components_application').on('proprietary_components').column('application_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('proprietary_components').execute();
}
