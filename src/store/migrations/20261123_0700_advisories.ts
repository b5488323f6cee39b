import type { Kysely } from 'kysely';

// Vulnerability advisories imported from OSV records (intel/advisories).
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('advisories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .addColumn('published', 'text')
    .addColumn('withdrawn', 'text')
    .addColumn('summary', 'text')
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cwe_ids', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('advisories_group').on('advisories').column('group_id').execute();
  await db.schema
    .createTable('advisory_packages')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('affected', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_packages_pk', ['advisory_id', 'seq'])
    .execute();
  await db.schema.createIndex('advisory_packages_name').on('advisory_packages').columns(['ecosystem', 'name']).execute();
  await db.schema
    .createTable('advisory_aliases')
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('advisory_aliases_pk', ['alias', 'advisory_id'])
    .execute();
  await db.schema.createIndex('advisory_aliases_advisory').on('advisory_aliases').column('advisory_id').execute();
  await db.schema
    .createTable('advisory_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('withdrawn', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('advisory_imports_finished').on('advisory_imports').column('finished_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('advisory_imports').execute();
  await db.schema.dropTable('advisory_aliases').execute();
  await db.schema.dropTable('advisory_packages').execute();
  await db.schema.dropTable('advisories').execute();
}
