import { sql } from 'kysely';
import type { ReportComponent, ReportData, ReportViolation } from '../evaluation/report.js';
import type { Principal } from './access.js';
import { requirePermission, visibleOwners } from './access.js';
import type { AppContext } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { componentDTO } from './evaluations.js';
import { reportUrls } from './report-views.js';
import { latestReports } from './reports.js';

/**
 * Policy violation details (GET /api/v2/policyViolations and …/crossStage): the violations of given
 * policies in the newest report of each stage of every application the caller may view.
 *
 * Reports keep each evaluation whole, with new violation ids every time, so a violation's openTime
 * is the time of the report that found it (not the first report that ever did), and a cross-stage
 * violation is the same policy violated by the same component (package URL, else hash) in the
 * newest reports of the application's stages. Tollgate has no legacy violations and keeps no
 * waive or fix times.
 */

export const VIOLATION_TYPES = ['ACTIVE', 'WAIVED', 'LEGACY'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

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

/** LIKE pattern matching a JSON string value exactly, with LIKE's wildcards escaped. */
function likeJsonValue(key: string, value: string): string {
  return `%${JSON.stringify(key)}:${JSON.stringify(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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

function constraintViolations(v: ReportViolation) {
  return v.constraints.map((k) => ({
    constraintId: k.constraintId,
    constraintName: k.constraintName,
    reasons: k.conditions.map((f) => (f.reference ? { reason: f.conditionReason, reference: f.reference } : { reason: f.conditionReason })),
  }));
}

interface LatestReport {
  id: string;
  applicationId: string;
  stage: string;
  createdAt: string;
  data: ReportData;
}

/**
 * The newest report of each stage of the given applications whose document mentions one of the
 * values (a LIKE on the stored JSON keeps unrelated reports unparsed).
 */
async function latestReportsMentioning(ctx: AppContext, applicationIds: readonly string[], key: string, values: readonly string[]): Promise<LatestReport[]> {
  const latest = await latestReports(ctx, applicationIds);
  const out: LatestReport[] = [];
  for (let i = 0; i < latest.length; i += 200) {
    const chunk = latest.slice(i, i + 200);
    const rows = await ctx.store.db
      .selectFrom('reports')
      .select(['id', 'data'])
      .where(
        'id',
        'in',
        chunk.map((r) => r.id),
      )
      .where((eb) => eb.or(values.map((v) => eb(sql`data`, 'like', sql`${likeJsonValue(key, v)} escape '\\'`))))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r.data]));
    for (const r of chunk) {
      const data = byId.get(r.id);
      if (data) out.push({ id: r.id, applicationId: r.application_id, stage: r.stage, createdAt: r.created_at, data: JSON.parse(data) as ReportData });
    }
  }
  return out;
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

/** ApiApplicationViolationListDTOV2: the violations of the policies, grouped by application. */
export async function policyViolations(ctx: AppContext, principal: Principal, query: ViolationQuery) {
  const policyIds = [...new Set(query.policyIds.map((p) => p.trim()).filter(Boolean))];
  if (!policyIds.length) throw new ValidationError('Name at least one policy id (p=…)');
  const after = parseDay('openTimeAfter', query.openTimeAfter, false);
  const before = parseDay('openTimeBefore', query.openTimeBefore, true);
  if (after !== undefined && before !== undefined && after > before) throw new ValidationError('openTimeAfter is later than openTimeBefore');
  const types = new Set<string>();
  for (const t of query.types?.length ? query.types : ['ACTIVE']) {
    const type = t.trim().toUpperCase();
    if (!(VIOLATION_TYPES as readonly string[]).includes(type)) throw new ValidationError(`Unknown violation type "${t}": use ACTIVE, WAIVED or LEGACY`);
    types.add(type);
  }

  const { applications } = await visibleOwners(ctx.store, principal, 'READ');
  const reports = await latestReportsMentioning(ctx, [...applications], 'policyId', policyIds);
  const apps = await applicationsById(ctx, [...new Set(reports.map((r) => r.applicationId))]);
  const wanted = new Set(policyIds);
  const byApp = new Map<string, Array<Record<string, unknown>>>();
  for (const r of reports) {
    const opened = Date.parse(r.createdAt);
    if ((after !== undefined && opened < after) || (before !== undefined && opened > before)) continue;
    const app = apps.get(r.applicationId);
    if (!app) continue;
    for (const c of r.data.components) {
      for (const v of c.violations) {
        if (!wanted.has(v.policyId) || !types.has(v.waived ? 'WAIVED' : 'ACTIVE')) continue;
        const list = byApp.get(app.id) ?? [];
        list.push({
          policyId: v.policyId,
          policyName: v.policyName,
          policyViolationId: v.policyViolationId,
          stageId: r.stage,
          reportId: r.id,
          reportUrl: reportUrls(app.public_id, r.id).reportHtmlUrl,
          openTime: r.createdAt,
          component: componentDTO(c),
          threatLevel: v.policyThreatLevel,
          constraintViolations: constraintViolations(v),
          isWaived: v.waived,
          isLegacy: false,
        });
        byApp.set(app.id, list);
      }
    }
  }
  const applicationViolations = [...byApp]
    .map(([id, policyViolations]) => ({ application: applicationBaseDTO(apps.get(id)!), policyViolations }))
    .sort((a, b) => String(a.application.publicId).localeCompare(String(b.application.publicId)));
  return { applicationViolations };
}

/** The same violation: one policy, one component (package URL, else hash). */
function sameViolation(a: { c: ReportComponent; v: ReportViolation }, b: { c: ReportComponent; v: ReportViolation }): boolean {
  return a.v.policyId === b.v.policyId && (a.c.packageUrl ?? a.c.hash) === (b.c.packageUrl ?? b.c.hash);
}

/**
 * ApiCrossStageViolationDTOV2 of a violation (by the id a listing gave): where the same violation
 * is found in the newest reports of the application's stages. The caller needs READ on the
 * application; NotFoundError when no newest report has that violation.
 */
export async function crossStageViolation(ctx: AppContext, principal: Principal, violationId: string) {
  const id = violationId.trim();
  if (!id) throw new ValidationError('constituentId (a policy violation id) is required');
  const candidates = await ctx.store.db
    .selectFrom('reports')
    .select(['id', 'application_id'])
    .where(sql`data`, 'like', sql`${likeJsonValue('policyViolationId', id)} escape '\\'`)
    .execute();
  const notFound = new NotFoundError(`No policy violation ${id} in the newest reports`);
  if (!candidates.length) throw notFound;
  const applicationId = candidates[0].application_id;
  await requirePermission(ctx.store, principal, 'READ', { type: 'application', id: applicationId });

  const reports = await latestReportsMentioning(ctx, [applicationId], 'policyViolationId', [id]);
  let found: { c: ReportComponent; v: ReportViolation; report: LatestReport } | undefined;
  for (const r of reports) {
    for (const c of r.data.components) {
      const v = c.violations.find((x) => x.policyViolationId === id);
      if (v) found = { c, v, report: r };
    }
  }
  if (!found) throw notFound;
  const all = await latestReportsMentioning(ctx, [applicationId], 'policyId', [found.v.policyId]);
  const stageData: Record<string, { actionTypeId?: string; mostRecentEvaluationTime: string; mostRecentScanId: string }> = {};
  for (const r of all) {
    for (const c of r.data.components) {
      const v = c.violations.find((x) => sameViolation({ c, v: x }, found));
      if (!v) continue;
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
    constraintViolations: constraintViolations(found.v),
    openTime: Object.values(stageData)
      .map((s) => s.mostRecentEvaluationTime)
      .sort()[0],
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
