import type { Kysely } from 'kysely';

/** NVD CVE records and the log of NVD imports and syncs (store/tables/nvd.ts). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nvd_cves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('published', 'text')
    .addColumn('last_modified', 'text', (c) => c.notNull())
    .addColumn('vuln_status', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cwe_ids', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('references', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('nvd_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('synced_until', 'text')
    .execute();
  await db.schema.createIndex('nvd_imports_finished').on('nvd_imports').column('finished_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nvd_imports').execute();
  await db.schema.dropTable('nvd_cves').execute();
}
