import type { Kysely } from 'kysely';

/**
 * What several nodes on one database share besides the job queue: the schedules of periodic work
 * (store/tables/schedules.ts) and the failed sign-in counts (store/tables/login-failures.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('last_claimed_at', 'text')
    .addColumn('last_claimed_by', 'text')
    .addColumn('last_job_id', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_outcome', 'text')
    .execute();
  await db.schema
    .createTable('login_failures')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pk', ['kind', 'key'])
    .execute();
  await db.schema.createIndex('login_failures_expires').on('login_failures').column('expires_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
  await db.schema.dropTable('schedules').execute();
}
