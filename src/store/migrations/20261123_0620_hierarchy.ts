import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  // Component labels belong to an organization or an application. The owner is named twice on
  // purpose: (owner_type, owner_id) for lookups and uniqueness, and the nullable foreign key of its
  // kind so that deleting the owner removes its labels on both databases without extra code.
  await db.schema
    .createTable('component_labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    /** lower-cased label: labels are unique per owner regardless of case */
    .addColumn('label_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('color', 'text', (c) => c.notNull())
    .addUniqueConstraint('component_labels_owner_label', ['owner_type', 'owner_id', 'label_key'])
    .execute();
  await db.schema.createIndex('component_labels_organization').on('component_labels').column('organization_id').execute();
  await db.schema.createIndex('component_labels_application').on('component_labels').column('application_id').execute();

  await db.schema
    .createTable('data_retention_policies')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_retention_policies').ifExists().execute();
  await db.schema.dropTable('component_labels').ifExists().execute();
}
