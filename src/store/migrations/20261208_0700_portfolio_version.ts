import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The portfolio version (store/tables/portfolio.ts): one counter row that every write changing what
 * the portfolio listings answer (the reports list, policy violations) increments in its own
 * transaction, so a node's cache of those answers knows with one read whether they still hold,
 * whichever node made the change. Triggers rather than calls in each writer: cascades (an
 * organization deleted with its applications) and writers added later are counted too.
 *
 * What the listings read: `latest_reports` (report written), `latest_policy_violations`,
 * `applications` (name, public id, organization, contact; deleted with their rows), `reports`
 * (the summary columns of the newest reports). Inserting an application or a report older than the
 * latest changes no listing, so it is not counted.
 */
const WATCHED: Array<{ table: string; events: string[] }> = [
  { table: 'latest_reports', events: ['INSERT', 'UPDATE', 'DELETE'] },
  { table: 'latest_policy_violations', events: ['INSERT', 'DELETE', 'UPDATE'] },
  { table: 'applications', events: ['UPDATE', 'DELETE'] },
  { table: 'reports', events: ['UPDATE', 'DELETE'] },
];

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portfolio_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('portfolio_version').values({ id: 1, version: 1 }).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE FUNCTION bump_portfolio_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE portfolio_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$`.execute(db);
    // Once per statement: a report's hundred violation rows cost one increment.
    for (const { table, events } of WATCHED) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_portfolio_version`)} AFTER ${sql.raw(events.join(' OR '))} ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_portfolio_version()`.execute(db);
    }
  } else {
    // SQLite has row triggers only; its writes run one transaction at a time anyway.
    for (const { table, events } of WATCHED) {
      for (const event of events) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_${event.toLowerCase()}_portfolio_version`)} AFTER ${sql.raw(event)} ON ${sql.table(table)}
          BEGIN UPDATE portfolio_version SET version = version + 1 WHERE id = 1; END`.execute(db);
      }
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table, events } of WATCHED) {
    if (postgres) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_portfolio_version`)} ON ${sql.table(table)}`.execute(db);
    else for (const event of events) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_${event.toLowerCase()}_portfolio_version`)}`.execute(db);
  }
  if (postgres) await sql`DROP FUNCTION IF EXISTS bump_portfolio_version()`.execute(db);
  await db.schema.dropTable('portfolio_version').execute();
}
