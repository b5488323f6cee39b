import type { StoredViolation } from '../../evaluation/portfolio-summary.js';
import type { ReportComponent, ReportData, ReportViolation } from '../../evaluation/report.js';
import { constraintViolationsDTO } from '../../evaluation/report.js';
import type { Principal } from '../access/access.js';
import { requirePermission } from '../access/access.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { componentDTO } from '../evaluation/evaluations.js';
import { reportUrls } from './report-views.js';
import { getReport, latestReports, reportHistory, reportsHoldingViolations } from './reports.js';

/**
 * Policy violation details (GET /api/v2/policyViolations and …/crossStage): the violations of given
 * policies in the newest report of each stage of every application the caller may view.
 *
 * Reports keep each evaluation whole, with new violation ids every time. A violation is "the same"
 * when the same policy is violated by the same component (package URL, else hash): its openTime is
 * the time of the oldest report of the unbroken run of the stage's reports that had it, ending with
 * the newest. Listings read it from latest_policy_violations, where the writer carries it from
 * report to report (latest-reports.ts); the cross-stage view walks back at most OPEN_TIME_DEPTH
 * reports through report_policy_violations. A cross-stage violation is the same violation
 * in the newest reports of the application's stages. Tollgate has no legacy violations and keeps
 * no waive or fix times.
 */

/** How many reports of a stage are read back to find when a violation first appeared. */
export const OPEN_TIME_DEPTH = 100;

export const VIOLATION_TYPES = ['ACTIVE', 'WAIVED', 'LEGACY'] as const;

export interface ViolationQuery {
  policyIds: readonly string[];
  openTimeAfter?: string;
  openTimeBefore?: string;
  types?: readonly string[];
}

/** YYYY-MM-DD (or a full ISO time) → epoch ms; `endOfDay` makes a bare date include its whole day. */
function parseDay(name: string, value: string | undefined, endOfDay: boolean): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const check = new Date(start);
    if (check.getUTCFullYear() === Number(day[1]) && check.getUTCMonth() === Number(day[2]) - 1 && check.getUTCDate() === Number(day[3])) {
      return endOfDay ? start + 86_400_000 - 1 : start;
    }
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) {
    return Date.parse(text);
  }
  throw new ValidationError(`${name} "${value}" is not a date (YYYY-MM-DD)`);
}

interface ApplicationRow {
  id: string;
  public_id: string;
  name: string;
  organization_id: string;
  contact_user_name: string | null;
}

function applicationBaseDTO(a: ApplicationRow) {
  const out: Record<string, unknown> = { id: a.id, publicId: a.public_id, name: a.name, organizationId: a.organization_id };
  if (a.contact_user_name) out.contactUserName = a.contact_user_name;
  return out;
}

interface LatestReport {
  id: string;
  applicationId: string;
  stage: string;
  createdAt: string;
  data: ReportData;
}

/** Which violations of the newest reports to read: of some policies, or one violation by its id. */
type ViolationFilter = { policyIds: readonly string[] } | { violationId: string };

/**
 * The newest report of each stage of the given applications that has a violation the filter
 * names (report_policy_violations, or the report a violation id names, say which: other reports
 * stay unread), with its document.
 */
async function latestReportsWith(ctx: AppContext, applicationIds: readonly string[], filter: ViolationFilter): Promise<LatestReport[]> {
  const latest = await latestReports(ctx, applicationIds);
  const holding = 'violationId' in filter ? (await reportsHoldingViolations(ctx, [filter.violationId])).get(filter.violationId)?.id : undefined;
  const out: LatestReport[] = [];
  for (let i = 0; i < latest.length; i += 200) {
    const chunk = latest.slice(i, i + 200);
    let having: Set<string>;
    if ('policyIds' in filter) {
      const rows = await ctx.store.db
        .selectFrom('report_policy_violations')
        .select('report_id')
        .where(
          'report_id',
          'in',
          chunk.map((r) => r.id),
        )
        .where('policy_id', 'in', filter.policyIds)
        .execute();
      having = new Set(rows.map((r) => r.report_id));
    } else {
      having = new Set(holding ? [holding] : []);
    }
    for (const r of chunk) {
      if (!having.has(r.id)) continue;
      const { data } = await getReport(ctx, r.application_id, r.id);
      out.push({ id: r.id, applicationId: r.application_id, stage: r.stage, createdAt: r.created_at, data });
    }
  }
  return out;
}

function violationKey(c: ReportComponent, v: ReportViolation): string {
  return `${v.policyId} ${c.packageUrl ?? c.hash}`;
}

/**
 * When each violation of the newest report of a stage first appeared: walking back through the
 * stage's older reports (their report_policy_violations rows) while each still has it.
 */
async function openTimes(ctx: AppContext, newest: LatestReport, policyIds: readonly string[]): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  for (const c of newest.data.components) for (const v of c.violations) if (policyIds.includes(v.policyId)) times.set(violationKey(c, v), newest.createdAt);
  const older = (await reportHistory(ctx, newest.applicationId, { stage: newest.stage, limit: OPEN_TIME_DEPTH })).filter((r) => r.id !== newest.id);
  if (!older.length || !times.size) return times;
  const rows = await ctx.store.db
    .selectFrom('report_policy_violations')
    .select(['report_id', 'policy_id', 'component_keys'])
    .where(
      'report_id',
      'in',
      older.map((r) => r.id),
    )
    .where('policy_id', 'in', policyIds)
    .execute();
  const presentIn = new Map<string, Set<string>>();
  for (const row of rows) {
    const keys = presentIn.get(row.report_id) ?? new Set<string>();
    for (const key of JSON.parse(row.component_keys) as string[]) keys.add(`${row.policy_id} ${key}`);
    presentIn.set(row.report_id, keys);
  }
  const alive = new Set(times.keys());
  for (const r of older) {
    const present = presentIn.get(r.id);
    if (!present) break;
    for (const key of [...alive]) {
      if (present.has(key)) times.set(key, r.created_at);
      else alive.delete(key);
    }
    if (!alive.size) break;
  }
  return times;
}

async function applicationsById(ctx: AppContext, ids: readonly string[]): Promise<Map<string, ApplicationRow>> {
  const out = new Map<string, ApplicationRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.store.db
      .selectFrom('applications')
      .select(['id', 'public_id', 'name', 'organization_id', 'contact_user_name'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/**
 * The latest reports' violations of the policies (latest_policy_violations, kept as reports are
 * written: no document is read), of the visible applications, by application, stage and policy.
 */
async function latestViolationsOf(ctx: AppContext, applications: ReadonlySet<string>, policyIds: readonly string[]) {
  const query = ctx.store.db
    .selectFrom('latest_policy_violations')
    .select(['application_id', 'stage', 'policy_id', 'report_id', 'violations'])
    .where('policy_id', 'in', policyIds)
    .orderBy('application_id')
    .orderBy('stage')
    .orderBy('policy_id');
  // A portfolio: one read of the policies' rows beats IN lists of thousands of applications.
  if (applications.size > 1_000) return (await query.execute()).filter((r) => applications.has(r.application_id));
  const ids = [...applications];
  const out = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await query.where('application_id', 'in', ids.slice(i, i + 500)).execute()));
  return out;
}

/** A policy violation listing's query, checked and in one normal form (policies and types sorted): also its cache key. */
export interface ParsedViolationQuery {
  policyIds: string[];
  after?: number;
  before?: number;
  types: string[];
}

/** Checks and normalises a listing's query (ValidationError on a bad one). */
export function parseViolationQuery(query: ViolationQuery): ParsedViolationQuery {
  const policyIds = [...new Set(query.policyIds.map((p) => p.trim()).filter(Boolean))].sort();
  if (!policyIds.length) throw new ValidationError('Name at least one policy id (p=…)');
  const after = parseDay('openTimeAfter', query.openTimeAfter, false);
  const before = parseDay('openTimeBefore', query.openTimeBefore, true);
  if (after !== undefined && before !== undefined && after > before) throw new ValidationError('openTimeAfter is later than openTimeBefore');
  const types = new Set<string>();
  // Repeated (type=ACTIVE&type=WAIVED) or, as some clients write it, comma-separated.
  for (const t of (query.types?.length ? query.types : ['ACTIVE']).flatMap((x) => x.split(','))) {
    const type = t.trim().toUpperCase();
    if (!(VIOLATION_TYPES as readonly string[]).includes(type)) throw new ValidationError(`Unknown violation type "${t}": use ACTIVE, WAIVED or LEGACY`);
    types.add(type);
  }
  return { policyIds, after, before, types: [...types].sort() };
}

/** ApiApplicationViolationListDTOV2 of the given applications' newest reports. */
export async function violationListing(ctx: AppContext, applications: ReadonlySet<string>, query: ParsedViolationQuery) {
  const { policyIds, after, before } = query;
  const types = new Set(query.types);
  const rows = await latestViolationsOf(ctx, applications, policyIds);
  const apps = await applicationsById(ctx, [...new Set(rows.map((r) => r.application_id))]);
  const byApp = new Map<string, Array<Record<string, unknown>>>();
  for (const r of rows) {
    const app = apps.get(r.application_id);
    if (!app) continue;
    const reportUrl = reportUrls(app.public_id, r.report_id).reportHtmlUrl;
    for (const v of JSON.parse(r.violations) as StoredViolation[]) {
      if (!types.has(v.waived ? 'WAIVED' : 'ACTIVE')) continue;
      const openMs = Date.parse(v.openTime);
      if ((after !== undefined && openMs < after) || (before !== undefined && openMs > before)) continue;
      const list = byApp.get(app.id) ?? [];
      list.push({
        policyId: r.policy_id,
        policyName: v.policyName,
        policyViolationId: v.policyViolationId,
        stageId: r.stage,
        reportId: r.report_id,
        reportUrl,
        openTime: v.openTime,
        component: componentDTO(v.component as ReportComponent),
        threatLevel: v.threatLevel,
        constraintViolations: v.constraintViolations,
        isWaived: v.waived,
        isLegacy: false,
      });
      byApp.set(app.id, list);
    }
  }
  const applicationViolations = [...byApp]
    .map(([id, policyViolations]) => ({ application: applicationBaseDTO(apps.get(id)!), policyViolations }))
    .sort((a, b) => String(a.application.publicId).localeCompare(String(b.application.publicId)));
  return { applicationViolations };
}

function sameViolation(a: { c: ReportComponent; v: ReportViolation }, b: { c: ReportComponent; v: ReportViolation }): boolean {
  return violationKey(a.c, a.v) === violationKey(b.c, b.v);
}

/**
 * ApiCrossStageViolationDTOV2 of a violation (by the id a listing gave): where the same violation
 * is found in the newest reports of the application's stages. The caller needs READ on the
 * application; NotFoundError when no newest report has that violation.
 */
export async function crossStageViolation(ctx: AppContext, principal: Principal, violationId: string) {
  const id = violationId.trim();
  if (!id) throw new ValidationError('constituentId (a policy violation id) is required');
  const candidate = (await reportsHoldingViolations(ctx, [id])).get(id);
  const notFound = new NotFoundError(`No policy violation ${id} in the newest reports`);
  if (!candidate) throw notFound;
  const applicationId = candidate.application_id;
  await requirePermission(ctx.store, principal, 'READ', { type: 'application', id: applicationId });

  const reports = await latestReportsWith(ctx, [applicationId], { violationId: id });
  let found: { c: ReportComponent; v: ReportViolation; report: LatestReport } | undefined;
  for (const r of reports) {
    for (const c of r.data.components) {
      const v = c.violations.find((x) => x.policyViolationId === id);
      if (v) found = { c, v, report: r };
    }
  }
  if (!found) throw notFound;
  const all = await latestReportsWith(ctx, [applicationId], { policyIds: [found.v.policyId] });
  const stageData: Record<string, { actionTypeId?: string; mostRecentEvaluationTime: string; mostRecentScanId: string }> = {};
  let openTime: string | undefined;
  for (const r of all) {
    for (const c of r.data.components) {
      const v = c.violations.find((x) => sameViolation({ c, v: x }, found));
      if (!v) continue;
      const opened = (await openTimes(ctx, r, [v.policyId])).get(violationKey(c, v)) ?? r.createdAt;
      if (!openTime || opened < openTime) openTime = opened;
      const stage: (typeof stageData)[string] = { mostRecentEvaluationTime: r.createdAt, mostRecentScanId: r.id };
      if (v.action) stage.actionTypeId = v.action;
      stageData[r.stage] = stage;
    }
  }
  const app = (await applicationsById(ctx, [applicationId])).get(applicationId)!;
  const organization = await ctx.store.db.selectFrom('organizations').select('name').where('id', '=', app.organization_id).executeTakeFirst();
  const policy = await ctx.store.db.selectFrom('policies').select(['owner_type', 'owner_id']).where('id', '=', found.v.policyId).executeTakeFirst();
  const out: Record<string, unknown> = {
    policyViolationId: found.v.policyViolationId,
    policyId: found.v.policyId,
    policyName: found.v.policyName,
    policyThreatCategory: found.v.policyThreatCategory,
    threatLevel: found.v.policyThreatLevel,
    applicationPublicId: app.public_id,
    applicationName: app.name,
    organizationName: organization?.name ?? '',
    hash: found.c.hash,
    displayName: { name: found.c.displayName, parts: [{ value: found.c.displayName }] },
    constraintViolations: constraintViolationsDTO(found.v),
    openTime: openTime ?? found.report.createdAt,
    stageData,
  };
  if (found.c.componentIdentifier) out.componentIdentifier = found.c.componentIdentifier;
  if (policy) out.policyOwner = await policyOwner(ctx, policy.owner_type, policy.owner_id);
  return out;
}

async function policyOwner(ctx: AppContext, ownerType: string, ownerId: string) {
  if (ownerType === 'application') {
    const a = await ctx.store.db.selectFrom('applications').select(['name', 'public_id']).where('id', '=', ownerId).executeTakeFirst();
    return { ownerType: 'APPLICATION', ownerId, ownerName: a?.name ?? ownerId, ownerPublicId: a?.public_id ?? ownerId };
  }
  const o = await ctx.store.db.selectFrom('organizations').select('name').where('id', '=', ownerId).executeTakeFirst();
  return { ownerType: 'ORGANIZATION', ownerId, ownerName: o?.name ?? ownerId, ownerPublicId: ownerId };
}
