import type { Kysely } from 'kysely';

/**
 * What people decide about components: claims (coordinates for a hash nobody recognised), license
 * overrides, security vulnerability overrides, and component labels applied to components.
 *
 * Rows that belong to an organization or application name their owner twice, as component_labels
 * does: (owner_type, owner_id) for lookups and uniqueness, and the nullable foreign key of its kind
 * so that deleting the owner removes them on both databases.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('component_claims')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('coordinates', 'text', (c) => c.notNull())
    .addColumn('package_url', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('create_time', 'text')
    .addColumn('claimer_id', 'text')
    .addColumn('claimer_name', 'text')
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('license_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('component_key', 'text', (c) => c.notNull())
    .addColumn('component_hash', 'text')
    .addColumn('package_url', 'text')
    .addColumn('component_identifier', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('license_ids', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('license_overrides_owner_component', ['owner_type', 'owner_id', 'component_key'])
    .execute();
  await db.schema.createIndex('license_overrides_organization').on('license_overrides').column('organization_id').execute();
  await db.schema.createIndex('license_overrides_application').on('license_overrides').column('application_id').execute();

  await db.schema
    .createTable('security_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('reference_id', 'text', (c) => c.notNull())
    .addColumn('component_key', 'text', (c) => c.notNull())
    .addColumn('component_hash', 'text')
    .addColumn('package_url', 'text')
    .addColumn('component_identifier', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('security_overrides_owner_ref_component', ['owner_type', 'owner_id', 'reference_id', 'component_key'])
    .execute();
  await db.schema.createIndex('security_overrides_reference').on('security_overrides').column('reference_id').execute();
  await db.schema.createIndex('security_overrides_organization').on('security_overrides').column('organization_id').execute();
  await db.schema.createIndex('security_overrides_application').on('security_overrides').column('application_id').execute();

  await db.schema
    .createTable('component_label_assignments')
    .addColumn('label_id', 'text', (c) => c.notNull().references('component_labels.id').onDelete('cascade'))
    .addColumn('component_hash', 'text', (c) => c.notNull())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.references('applications.id').onDelete('cascade'))
    .addColumn('assigned_by', 'text')
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('component_label_assignments_pk', ['label_id', 'component_hash', 'owner_type', 'owner_id'])
    .execute();
  await db.schema.createIndex('component_label_assignments_owner').on('component_label_assignments').columns(['owner_type', 'owner_id']).execute();
  await db.schema.createIndex('component_label_assignments_organization').on('component_label_assignments').column('organization_id').execute();
  await db.schema.createIndex('component_label_assignments_application').on('component_label_assignments').column('application_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('component_label_assignments').ifExists().execute();
  await db.schema.dropTable('security_overrides').ifExists().execute();
  await db.schema.dropTable('license_overrides').ifExists().execute();
  await db.schema.dropTable('component_claims').ifExists().execute();
}
