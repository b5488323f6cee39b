import type { Kysely } from 'kysely';

/**
 * Reports stored compactly, and their violations indexed.
 *
 * - `reports.document`: the report in its stored form (evaluation/report-codec.ts: compact JSON,
 *   gzipped). `reports.data` keeps the plain JSON of reports written before; new rows leave it
 *   empty. `bytea` is PostgreSQL's binary type; SQLite stores the bytes as a BLOB under any name.
 * - `report_violations`: one row per violation of a report (id, policy, component), so that a
 *   violation is found by its id, and the reports that violate a policy by the policy, without
 *   reading report documents. Rows of reports written before are filled in here.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('document', 'bytea').execute();
  await db.schema
    .createTable('report_violations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull())
    /** The component's position in the report document. */
    .addColumn('component_index', 'integer', (c) => c.notNull())
    /** The component's package URL, else its hash: what makes two reports' violations "the same". */
    .addColumn('component_key', 'text', (c) => c.notNull())
    .addColumn('waived', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_violations_report_policy').on('report_violations').columns(['report_id', 'policy_id']).execute();

  let after = '';
  for (;;) {
    const rows: Array<{ id: string; data: string }> = await db.selectFrom('reports').select(['id', 'data']).where('id', '>', after).orderBy('id').limit(20).execute();
    if (!rows.length) break;
    for (const row of rows) {
      if (!row.data) continue;
      const data = JSON.parse(row.data) as LegacyReport;
      const values = data.components.flatMap((c, i) =>
        c.violations.map((v) => ({
          id: v.policyViolationId,
          report_id: row.id,
          policy_id: v.policyId,
          component_index: i,
          component_key: c.packageUrl ?? c.hash,
          waived: v.waived ? 1 : 0,
        })),
      );
      for (let i = 0; i < values.length; i += 500) await db.insertInto('report_violations').values(values.slice(i, i + 500)).execute();
    }
    after = rows[rows.length - 1].id;
  }
}

interface LegacyReport {
  components: Array<{ hash: string; packageUrl?: string; violations: Array<{ policyViolationId: string; policyId: string; waived: boolean }> }>;
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_violations').ifExists().execute();
  await db.schema.alterTable('reports').dropColumn('document').execute();
}
