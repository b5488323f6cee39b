import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluation_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('input', 'text')
    .addColumn('input_name', 'text')
    .addColumn('commit_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('report_id', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('evaluation_requests_application').on('evaluation_requests').columns(['application_id', 'created_at']).execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('input_request_id', 'text')
    .addColumn('commit_hash', 'text')
    .addColumn('is_reevaluation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('policy_action', 'text', (c) => c.notNull())
    .addColumn('total_components', 'integer', (c) => c.notNull())
    .addColumn('known_components', 'integer', (c) => c.notNull())
    .addColumn('affected_components', 'integer', (c) => c.notNull())
    .addColumn('critical_violations', 'integer', (c) => c.notNull())
    .addColumn('severe_violations', 'integer', (c) => c.notNull())
    .addColumn('moderate_violations', 'integer', (c) => c.notNull())
    .addColumn('critical_components', 'integer', (c) => c.notNull())
    .addColumn('severe_components', 'integer', (c) => c.notNull())
    .addColumn('moderate_components', 'integer', (c) => c.notNull())
    .addColumn('waived_violations', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  // Latest per stage and history both read by application, stage, newest first.
  await db.schema.createIndex('reports_application_stage').on('reports').columns(['application_id', 'stage', 'created_at']).execute();
  await db.schema.createIndex('reports_application_created').on('reports').columns(['application_id', 'created_at']).execute();
  // The policy violation diff finds evaluations by commit.
  await db.schema.createIndex('reports_application_commit').on('reports').columns(['application_id', 'commit_hash']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reports').ifExists().execute();
  await db.schema.dropTable('evaluation_requests').ifExists().execute();
}
