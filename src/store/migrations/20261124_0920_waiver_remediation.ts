import type { Kysely } from 'kysely';

/**
 * Waivers that expire when remediation is available: when an evaluation finds a version of the
 * waived component without the waived violation, the waiver expires and this row says which
 * version ended it (services/decisions/waiver-remediation.ts). Deleting the waiver deletes the row.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('waiver_remediations')
    .addColumn('waiver_id', 'text', (c) => c.primaryKey().references('policy_waivers.id').onDelete('cascade'))
    .addColumn('package_url', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('found_at', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('waiver_remediations').execute();
}
