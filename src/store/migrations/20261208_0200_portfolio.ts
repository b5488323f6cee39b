import type { Kysely } from 'kysely';
import { CATEGORY_BAND_COLUMNS, portfolioSummary, violationsByPolicy } from '../../evaluation/portfolio-summary.js';
import { decodeLegacyReport, decodeReport } from '../../evaluation/report-codec.js';

/**
 * Portfolio views (store/tables/portfolio.ts): the newest report of each application's stage with
 * its open violations by policy type and threat band, its components with open violations, and
 * how each report changed its stage's open violations (the trend). Filled here from the reports
 * stored before: the newest of each stage is decoded once; the changes of older ones come from
 * their summary columns (which have no low band: the low band's history starts with the newest).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  let latest = db.schema
    .createTable('latest_reports')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('policy_action', 'text', (c) => c.notNull())
    .addColumn('total_components', 'integer', (c) => c.notNull())
    .addColumn('affected_components', 'integer', (c) => c.notNull());
  for (const column of ['critical', 'severe', 'moderate', 'low', ...CATEGORY_BAND_COLUMNS]) {
    latest = latest.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  }
  await latest.addPrimaryKeyConstraint('latest_reports_pk', ['application_id', 'stage']).execute();
  // The newest evaluations, newest first.
  await db.schema.createIndex('latest_reports_created').on('latest_reports').column('created_at').execute();
  await db.schema.createIndex('latest_reports_report').on('latest_reports').column('report_id').execute();

  await db.schema
    .createTable('latest_report_components')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('component_key', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('threat_level', 'integer', (c) => c.notNull())
    .addColumn('open_violations', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('latest_report_components_pk', ['application_id', 'stage', 'component_key'])
    .execute();
  // The riskiest components, one threat level at a time: read from the index alone, in key order
  // (an index-only scan, the stage filter included; reading the table's rows cost 4× as much at
  // 10,000 applications).
  await db.schema
    .createIndex('latest_report_components_threat')
    .on('latest_report_components')
    .columns(['threat_level', 'component_key', 'application_id', 'open_violations', 'stage'])
    .execute();

  await db.schema
    .createTable('portfolio_changes')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('severe', 'integer', (c) => c.notNull())
    .addColumn('moderate', 'integer', (c) => c.notNull())
    .addColumn('low', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portfolio_changes_created').on('portfolio_changes').columns(['created_at', 'application_id']).execute();
  await db.schema.createIndex('portfolio_changes_application').on('portfolio_changes').columns(['application_id', 'stage']).execute();

  await db.schema
    .createTable('latest_policy_violations')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('violations', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('latest_policy_violations_pk', ['application_id', 'stage', 'policy_id'])
    .execute();
  // Policy violation listings read by policy.
  await db.schema.createIndex('latest_policy_violations_policy').on('latest_policy_violations').columns(['policy_id', 'application_id']).execute();

  // Portfolio views filtered by application category.
  await db.schema
    .createIndex('application_category_assignments_category')
    .on('application_category_assignments')
    .columns(['category_id', 'application_id'])
    .execute();

  await backfill(db);
}

interface ReportRow {
  id: string;
  application_id: string;
  stage: string;
  created_at: string;
  policy_action: string;
  total_components: number;
  affected_components: number;
  critical_violations: number;
  severe_violations: number;
  moderate_violations: number;
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
async function backfill(db: Kysely<any>): Promise<void> {
  let after = { application_id: '', stage: '' };
  for (;;) {
    // Reports of the next 50 (application, stage) pairs, oldest first within each.
    const pairs: Array<{ application_id: string; stage: string }> = await db
      .selectFrom('reports')
      .select(['application_id', 'stage'])
      .where((eb) =>
        eb.or([
          eb('application_id', '>', after.application_id),
          eb.and([eb('application_id', '=', after.application_id), eb('stage', '>', after.stage)]),
        ]),
      )
      .groupBy(['application_id', 'stage'])
      .orderBy('application_id')
      .orderBy('stage')
      .limit(50)
      .execute();
    if (!pairs.length) return;
    for (const pair of pairs) {
      const rows: ReportRow[] = await db
        .selectFrom('reports')
        .select([
          'id',
          'application_id',
          'stage',
          'created_at',
          'policy_action',
          'total_components',
          'affected_components',
          'critical_violations',
          'severe_violations',
          'moderate_violations',
        ])
        .where('application_id', '=', pair.application_id)
        .where('stage', '=', pair.stage)
        .orderBy('created_at')
        .orderBy('id', 'desc')
        .execute();
      let previous = { critical: 0, severe: 0, moderate: 0, low: 0 };
      for (const [i, r] of rows.entries()) {
        let counts = { critical: Number(r.critical_violations), severe: Number(r.severe_violations), moderate: Number(r.moderate_violations), low: 0 };
        if (i === rows.length - 1) {
          const stored = await db.selectFrom('reports').select(['data', 'document']).where('id', '=', r.id).executeTakeFirstOrThrow();
          const data = stored.document ? await decodeReport(stored.document) : decodeLegacyReport(stored.data);
          const summary = portfolioSummary(data);
          counts = summary.open;
          await backfillViolations(db, r, violationsByPolicy(data, r.created_at), rows.slice(0, -1).reverse());
          await db
            .insertInto('latest_reports')
            .values({
              application_id: r.application_id,
              stage: r.stage,
              report_id: r.id,
              created_at: r.created_at,
              policy_action: r.policy_action,
              total_components: r.total_components,
              affected_components: r.affected_components,
              ...counts,
              ...summary.bands,
            })
            .execute();
          for (let j = 0; j < summary.components.length; j += 200) {
            await db
              .insertInto('latest_report_components')
              .values(
                summary.components.slice(j, j + 200).map((c) => ({
                  application_id: r.application_id,
                  stage: r.stage,
                  component_key: c.key,
                  display_name: c.displayName,
                  threat_level: c.threatLevel,
                  open_violations: c.openViolations,
                })),
              )
              .execute();
          }
        }
        await db
          .insertInto('portfolio_changes')
          .values({
            application_id: r.application_id,
            stage: r.stage,
            created_at: r.created_at,
            critical: counts.critical - previous.critical,
            severe: counts.severe - previous.severe,
            moderate: counts.moderate - previous.moderate,
            low: counts.low - previous.low,
          })
          .execute();
        previous = counts;
      }
    }
    after = pairs[pairs.length - 1];
  }
}

/**
 * The latest report's violations by policy, each opened by the oldest report of the unbroken run
 * of the stage's reports (newest first: `older`) that had it, as report_policy_violations say.
 */
async function backfillViolations(
  // biome-ignore lint/suspicious/noExplicitAny: see up().
  db: Kysely<any>,
  latest: ReportRow,
  byPolicy: ReturnType<typeof violationsByPolicy>,
  older: ReportRow[],
): Promise<void> {
  if (!byPolicy.size) return;
  const present = new Map<string, Set<string>>();
  for (let i = 0; i < older.length; i += 200) {
    const rows: Array<{ report_id: string; policy_id: string; component_keys: string }> = await db
      .selectFrom('report_policy_violations')
      .select(['report_id', 'policy_id', 'component_keys'])
      .where(
        'report_id',
        'in',
        older.slice(i, i + 200).map((r) => r.id),
      )
      .where('policy_id', 'in', [...byPolicy.keys()])
      .execute();
    for (const row of rows) {
      const keys = present.get(row.report_id) ?? new Set<string>();
      for (const key of JSON.parse(row.component_keys) as string[]) keys.add(`${row.policy_id} ${key}`);
      present.set(row.report_id, keys);
    }
  }
  for (const [policyId, list] of byPolicy) {
    for (const v of list) {
      for (const r of older) {
        if (!present.get(r.id)?.has(`${policyId} ${v.key}`)) break;
        v.openTime = r.created_at;
      }
    }
    await db
      .insertInto('latest_policy_violations')
      .values({ application_id: latest.application_id, stage: latest.stage, policy_id: policyId, report_id: latest.id, created_at: latest.created_at, violations: JSON.stringify(list) })
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('application_category_assignments_category').ifExists().execute();
  await db.schema.dropTable('latest_policy_violations').ifExists().execute();
  await db.schema.dropTable('portfolio_changes').ifExists().execute();
  await db.schema.dropTable('latest_report_components').ifExists().execute();
  await db.schema.dropTable('latest_reports').ifExists().execute();
}
