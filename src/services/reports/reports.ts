import type { Selectable, Transaction } from 'kysely';
import { policyActionName, type ReportData } from '../../evaluation/report.js';
import { decodeLegacyReport, decodeReport, encodeReport } from '../../evaluation/report-codec.js';
import type { Database } from '../../store/schema.js';
import type { ReportTable } from '../../store/tables/reports.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { recordLatestReport } from './latest-reports.js';

export type ReportRow = Selectable<ReportTable>;
/** A report row without its (large) document: what listings read. */
export type ReportSummaryRow = Omit<ReportRow, 'data' | 'document'>;

const SUMMARY_COLUMNS = [
  'id',
  'application_id',
  'stage',
  'source',
  'created_at',
  'input_request_id',
  'commit_hash',
  'is_reevaluation',
  'policy_action',
  'total_components',
  'known_components',
  'affected_components',
  'critical_violations',
  'severe_violations',
  'moderate_violations',
  'critical_components',
  'severe_components',
  'moderate_components',
  'waived_violations',
] as const;

export interface NewReport {
  applicationId: string;
  stage: string;
  source: string;
  inputRequestId: string | null;
  commitHash?: string | null;
  reevaluation?: boolean;
  data: ReportData;
}

/** A report ready to be written: its id chosen and its document encoded (which takes a while: do it before the transaction). */
export interface EncodedReport extends NewReport {
  id: string;
  document: Uint8Array;
}

/** Hex digits of a violation id that are its report's, the rest number it within the report. */
const REPORT_PART = 20;

/**
 * The id of a report's n-th violation: the report id's first 20 hex digits, then n in 12. So a
 * violation id names its report (found by a range on `reports.id`), and a report needs no row per
 * violation to be found by one.
 */
export function reportViolationId(reportId: string, n: number): string {
  return `${reportId.slice(0, REPORT_PART)}${n.toString(16).padStart(32 - REPORT_PART, '0')}`;
}

/**
 * Chooses the report's id, numbers its violations after it (their ids from the evaluation are
 * replaced) and encodes its document (report-codec.ts), outside any transaction.
 */
export async function encodeNewReport(report: NewReport): Promise<EncodedReport> {
  const id = newId();
  let n = 0;
  for (const c of report.data.components) for (const v of c.violations) v.policyViolationId = reportViolationId(id, n++);
  return { ...report, id, document: await encodeReport(report.data) };
}

/**
 * Writes a report: a few summary columns for listings and counters, the whole evaluation as one
 * encoded document (a 10,000-component report is one row, not 10,000), and a row per violated
 * policy naming the components that violate it, so that policy violations are found without
 * reading documents; and the stage's latest-report summary (latest-reports.ts). Runs inside the
 * caller's transaction so that the report and the request it
 * answers change together.
 */
export async function insertReport(trx: Transaction<Database>, ctx: Pick<AppContext, 'now' | 'store'>, report: EncodedReport): Promise<ReportSummaryRow> {
  const s = report.data.summary;
  const row: ReportSummaryRow = {
    id: report.id,
    application_id: report.applicationId,
    stage: report.stage,
    source: report.source,
    created_at: ctx.now().toISOString(),
    input_request_id: report.inputRequestId,
    commit_hash: report.commitHash ?? null,
    is_reevaluation: report.reevaluation ? 1 : 0,
    policy_action: policyActionName(s.outcome),
    total_components: s.totalComponents,
    known_components: s.knownComponents,
    affected_components: s.affectedComponents,
    critical_violations: s.openViolations.critical,
    severe_violations: s.openViolations.severe,
    moderate_violations: s.openViolations.moderate,
    critical_components: s.componentsAffected.critical,
    severe_components: s.componentsAffected.severe,
    moderate_components: s.componentsAffected.moderate,
    waived_violations: s.waivedViolations,
  };
  await trx
    .insertInto('reports')
    .values({ ...row, data: '', document: report.document })
    .execute();
  const keys = new Map<string, string[]>();
  for (const c of report.data.components) {
    for (const v of c.violations) {
      const list = keys.get(v.policyId);
      if (list) list.push(c.packageUrl ?? c.hash);
      else keys.set(v.policyId, [c.packageUrl ?? c.hash]);
    }
  }
  if (keys.size) {
    await trx
      .insertInto('report_policy_violations')
      .values([...keys].map(([policy_id, list]) => ({ report_id: row.id, policy_id, component_keys: JSON.stringify(list) })))
      .execute();
  }
  await recordLatestReport(trx, ctx.store.dialect, row, report.data);
  return row;
}

/**
 * The reports (id, application) that hold each of the violations, by violation id: the report its
 * id names (reportViolationId), or for reports stored before as plain JSON, the one whose text
 * holds it. Ids found nowhere are absent; a caller still checks the report really has the id.
 */
export async function reportsHoldingViolations(ctx: AppContext, violationIds: readonly string[]): Promise<Map<string, { id: string; application_id: string }>> {
  const out = new Map<string, { id: string; application_id: string }>();
  const ids = [...new Set(violationIds)].filter((id) => /^[0-9a-f]{32}$/.test(id));
  for (let i = 0; i < ids.length; i += 100) {
    const part = ids.slice(i, i + 100);
    const rows = await ctx.store.db
      .selectFrom('reports')
      .select(['id', 'application_id'])
      .where((eb) =>
        eb.or(
          part.map((v) =>
            eb.and([eb('id', '>=', v.slice(0, REPORT_PART)), eb('id', '<', `${v.slice(0, REPORT_PART)}g`), eb('document', 'is not', null)]),
          ),
        ),
      )
      .execute();
    for (const v of part) {
      const report = rows.find((r) => r.id.startsWith(v.slice(0, REPORT_PART)));
      if (report) out.set(v, report);
    }
  }
  const legacy = ids.filter((id) => !out.has(id));
  for (let i = 0; i < legacy.length; i += 50) {
    const part = legacy.slice(i, i + 50);
    const rows = await ctx.store.db
      .selectFrom('reports')
      .select(['id', 'application_id', 'data'])
      .where('document', 'is', null)
      .where((eb) => eb.or(part.map((v) => eb('data', 'like', `%"policyViolationId":"${v}"%`))))
      .execute();
    for (const v of part) {
      const report = rows.find((r) => r.data.includes(`"policyViolationId":"${v}"`));
      if (report) out.set(v, { id: report.id, application_id: report.application_id });
    }
  }
  return out;
}

/** A stored report's document: the encoded form, or the plain JSON of reports written before it. */
export async function readReportDocument(row: { data: string; document: Uint8Array | null }): Promise<ReportData> {
  return row.document ? decodeReport(row.document) : decodeLegacyReport(row.data);
}

/** Counts come back from PostgreSQL as strings for bigint, as numbers from SQLite: make them numbers. */
function numeric<T extends ReportSummaryRow>(row: T): T {
  const out = { ...row };
  for (const key of SUMMARY_COLUMNS) {
    const v = out[key];
    if (typeof v === 'string' && key !== 'id' && /_(components|violations)$|is_reevaluation/.test(key)) (out as Record<string, unknown>)[key] = Number(v);
  }
  return out;
}

export async function getReportSummary(ctx: AppContext, reportId: string): Promise<ReportSummaryRow | undefined> {
  const row = await ctx.store.db.selectFrom('reports').select(SUMMARY_COLUMNS).where('id', '=', reportId).executeTakeFirst();
  return row ? numeric(row) : undefined;
}

/** A report of an application with its data; NotFoundError when the application has no such report. */
export async function getReport(ctx: AppContext, applicationId: string, reportId: string): Promise<{ row: ReportSummaryRow; data: ReportData }> {
  const row = await ctx.store.db
    .selectFrom('reports')
    .selectAll()
    .where('id', '=', reportId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No report ${reportId} for this application`);
  const { data, document, ...summary } = row;
  return { row: numeric(summary), data: await readReportDocument({ data, document }) };
}

/** Past this many applications, reading every latest report and keeping the asked-for ones beats IN lists. */
const READ_ALL_ABOVE = 1_000;

/**
 * The newest report of each stage of the given applications (GET /api/v2/reports/applications),
 * by application and stage: the stage's latest-report row (latest-reports.ts) names it.
 */
export async function latestReports(ctx: AppContext, applicationIds: readonly string[]): Promise<ReportSummaryRow[]> {
  if (!applicationIds.length) return [];
  const query = ctx.store.db
    .selectFrom('latest_reports as l')
    .innerJoin('reports as r', 'r.id', 'l.report_id')
    .select(SUMMARY_COLUMNS.map((c) => `r.${c}` as const));
  if (applicationIds.length > READ_ALL_ABOVE) {
    // Unsorted: a sort of every latest report spills to disk on PostgreSQL's default work_mem.
    const wanted = new Set(applicationIds);
    return (await query.execute()).filter((r) => wanted.has(r.application_id)).map((r) => numeric(r as ReportSummaryRow));
  }
  const out: ReportSummaryRow[] = [];
  for (let i = 0; i < applicationIds.length; i += 500) {
    const rows = await query
      .where('l.application_id', 'in', applicationIds.slice(i, i + 500))
      .orderBy('l.application_id')
      .orderBy('l.stage')
      .execute();
    for (const row of rows) out.push(numeric(row as ReportSummaryRow));
  }
  return out;
}

/** An application's reports, newest first (at most `limit`, and at most 100 as the reference promises). */
export async function reportHistory(ctx: AppContext, applicationId: string, options: { stage?: string; limit?: number } = {}): Promise<ReportSummaryRow[]> {
  let query = ctx.store.db.selectFrom('reports').select(SUMMARY_COLUMNS).where('application_id', '=', applicationId);
  if (options.stage) query = query.where('stage', '=', options.stage);
  const limit = Math.max(1, Math.min(options.limit ?? 100, 100));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(numeric);
}

/** The newest report of an application built from a commit, or undefined. */
export async function latestReportOfCommit(ctx: AppContext, applicationId: string, commitHash: string): Promise<ReportSummaryRow | undefined> {
  const row = await ctx.store.db
    .selectFrom('reports')
    .select(SUMMARY_COLUMNS)
    .where('application_id', '=', applicationId)
    .where('commit_hash', '=', commitHash)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? numeric(row) : undefined;
}

/** The newest report of a stage, or undefined. */
export async function latestReportOfStage(ctx: AppContext, applicationId: string, stage: string): Promise<ReportSummaryRow | undefined> {
  return (await reportHistory(ctx, applicationId, { stage, limit: 1 }))[0];
}

/** Who asked for the evaluation that made a report (its request's creator), when the request says. */
export async function reportRequester(ctx: AppContext, reportId: string): Promise<string | undefined> {
  const row = await ctx.store.db.selectFrom('evaluation_requests').select('created_by').where('report_id', '=', reportId).executeTakeFirst();
  return row?.created_by ?? undefined;
}
