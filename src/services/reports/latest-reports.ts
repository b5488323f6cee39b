import { sql, type Transaction } from 'kysely';
import { portfolioSummary, type StoredViolation, violationsByPolicy } from '../../evaluation/portfolio-summary.js';
import type { ReportData } from '../../evaluation/report.js';
import type { Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

/** The report's summary columns the latest-report row copies. */
export interface NewLatestReport {
  id: string;
  application_id: string;
  stage: string;
  created_at: string;
  policy_action: string;
  total_components: number;
  affected_components: number;
}

/** The advisory lock class that serializes latest-report updates of one stage on PostgreSQL. */
const LOCK_CLASS = 7_411;

/**
 * Makes a new report its stage's latest (store/tables/portfolio.ts), in the transaction that
 * writes the report: the stage's summary row, components with open violations and violations by
 * policy (each with the time it opened: the replaced report's for a violation it had too) are
 * replaced, and the change in open violations is recorded for the trend. A report older than the stage's
 * latest (clocks of two nodes apart) changes nothing.
 *
 * Two reports of one stage written at once on PostgreSQL would both read the same predecessor and
 * record the same change twice: a transaction lock on the stage makes the second wait. (SQLite
 * runs one write transaction at a time.)
 */
export async function recordLatestReport(trx: Transaction<Database>, dialect: Dialect, row: NewLatestReport, data: ReportData): Promise<void> {
  if (dialect === 'postgres') {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`${row.application_id} ${row.stage}`}))`.execute(trx);
  }
  const previous = await trx
    .selectFrom('latest_reports')
    .select(['created_at', 'critical', 'severe', 'moderate', 'low'])
    .where('application_id', '=', row.application_id)
    .where('stage', '=', row.stage)
    .executeTakeFirst();
  if (previous && previous.created_at > row.created_at) return;
  const summary = portfolioSummary(data);
  const byPolicy = violationsByPolicy(data, row.created_at);
  if (previous && byPolicy.size) {
    // A violation the stage's latest report had already is open since then (the same policy and component).
    const before = await trx
      .selectFrom('latest_policy_violations')
      .select(['policy_id', 'violations'])
      .where('application_id', '=', row.application_id)
      .where('stage', '=', row.stage)
      .where('policy_id', 'in', [...byPolicy.keys()])
      .execute();
    for (const b of before) {
      const opened = new Map((JSON.parse(b.violations) as StoredViolation[]).map((v) => [v.key, v.openTime]));
      for (const v of byPolicy.get(b.policy_id) ?? []) v.openTime = opened.get(v.key) ?? v.openTime;
    }
  }
  const values = {
    application_id: row.application_id,
    stage: row.stage,
    report_id: row.id,
    created_at: row.created_at,
    policy_action: row.policy_action,
    total_components: row.total_components,
    affected_components: row.affected_components,
    ...summary.open,
    ...summary.bands,
  };
  if (previous) {
    const { application_id: _a, stage: _s, ...changes } = values;
    await trx.updateTable('latest_reports').set(changes).where('application_id', '=', row.application_id).where('stage', '=', row.stage).execute();
    await trx.deleteFrom('latest_report_components').where('application_id', '=', row.application_id).where('stage', '=', row.stage).execute();
    await trx.deleteFrom('latest_policy_violations').where('application_id', '=', row.application_id).where('stage', '=', row.stage).execute();
  } else {
    await trx.insertInto('latest_reports').values(values).execute();
  }
  for (let i = 0; i < summary.components.length; i += 500) {
    await trx
      .insertInto('latest_report_components')
      .values(
        summary.components.slice(i, i + 500).map((c) => ({
          application_id: row.application_id,
          stage: row.stage,
          component_key: c.key,
          display_name: c.displayName,
          threat_level: c.threatLevel,
          open_violations: c.openViolations,
        })),
      )
      .execute();
  }
  const policyRows = [...byPolicy].map(([policy_id, list]) => ({
    application_id: row.application_id,
    stage: row.stage,
    policy_id,
    report_id: row.id,
    created_at: row.created_at,
    violations: JSON.stringify(list),
  }));
  for (let i = 0; i < policyRows.length; i += 100) await trx.insertInto('latest_policy_violations').values(policyRows.slice(i, i + 100)).execute();
  const before = previous ? { critical: Number(previous.critical), severe: Number(previous.severe), moderate: Number(previous.moderate), low: Number(previous.low) } : undefined;
  await trx
    .insertInto('portfolio_changes')
    .values({
      application_id: row.application_id,
      stage: row.stage,
      created_at: row.created_at,
      critical: summary.open.critical - (before?.critical ?? 0),
      severe: summary.open.severe - (before?.severe ?? 0),
      moderate: summary.open.moderate - (before?.moderate ?? 0),
      low: summary.open.low - (before?.low ?? 0),
    })
    .execute();
}
