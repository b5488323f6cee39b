import type { Kysely } from 'kysely';

/**
 * Reports stored compactly, and which policies they violate indexed.
 *
 * - `reports.document`: the report in its stored form (evaluation/report-codec.ts: compact JSON,
 *   gzipped). `reports.data` keeps the plain JSON of reports written before; new rows leave it
 *   empty. `bytea` is PostgreSQL's binary type; SQLite stores the bytes as a BLOB under any name.
 * - `report_policy_violations`: one row per report and violated policy, with the components that
 *   violate it, so that the reports violating a policy, and since when a component has, are found
 *   without reading report documents (a heavy report violates a handful of policies but holds
 *   thousands of violations: one row each would be thousands of rows per scan). Rows of reports
 *   written before are filled in here.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('document', 'bytea').execute();
  await db.schema
    .createTable('report_policy_violations')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull())
    /** JSON array: the package URL, else the hash, of each component violating the policy. */
    .addColumn('component_keys', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_policy_violations_pk', ['report_id', 'policy_id'])
    .execute();

  let after = '';
  for (;;) {
    const rows: Array<{ id: string; data: string }> = await db.selectFrom('reports').select(['id', 'data']).where('id', '>', after).orderBy('id').limit(20).execute();
    if (!rows.length) break;
    for (const row of rows) {
      if (!row.data) continue;
      const data = JSON.parse(row.data) as LegacyReport;
      const keys = new Map<string, string[]>();
      for (const c of data.components) {
        for (const v of c.violations) {
          const list = keys.get(v.policyId) ?? [];
          list.push(c.packageUrl ?? c.hash);
          keys.set(v.policyId, list);
        }
      }
      const values = [...keys].map(([policy_id, list]) => ({ report_id: row.id, policy_id, component_keys: JSON.stringify(list) }));
      if (values.length) await db.insertInto('report_policy_violations').values(values).execute();
    }
    after = rows[rows.length - 1].id;
  }
}

interface LegacyReport {
  components: Array<{ hash: string; packageUrl?: string; violations: Array<{ policyId: string }> }>;
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_policy_violations').ifExists().execute();
  await db.schema.alterTable('reports').dropColumn('document').execute();
}
