import { type ExpressionBuilder, type SqlBool, type Expression, sql } from 'kysely';
import { type Band, CATEGORY_BAND_COLUMNS, THREAT_BANDS, THREAT_CATEGORIES } from '../../evaluation/portfolio-summary.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import { type Principal, visibleOwners } from '../access/access.js';
import { checkStage } from '../evaluation/evaluations.js';
import { organizationDescendants } from '../owners/organization-tree.js';
import { reportUrls } from './report-views.js';

/**
 * The portfolio dashboard (Tollgate's own `GET /api/v2/dashboard`): open violations by threat band
 * and policy type, the newest evaluations, the riskiest applications and components, and the
 * trend of open violations, over the newest report of each stage of the applications the caller
 * may READ, filtered by organization (and those below it), application category and stage.
 *
 * Everything is read from the latest-report tables kept as reports are written
 * (latest-reports.ts), with aggregates computed by the database: no report document is decoded,
 * so the answer's cost grows with the number of latest reports, not with their components.
 */

export interface DashboardQuery {
  organizationId?: string;
  applicationCategoryId?: string;
  stageId?: string;
  /** Days of trend, today included (default 30, 1–365). */
  days?: number;
  /** Rows of each top list (default 10, 1–100). */
  limit?: number;
}

type BandCounts = Record<Band, number>;

/** Which applications a dashboard covers: every one, or those of some organizations plus some granted alone. */
interface Scope {
  all: boolean;
  organizations: string[];
  applications: string[];
  categoryId?: string;
  stage?: string;
}

/** Tables whose rows belong to an application's stage. */
type StageTable = 'latest_reports' | 'latest_report_components' | 'portfolio_changes';

function inScope<T extends StageTable>(eb: ExpressionBuilder<Database, T>, scope: Scope): Expression<SqlBool> {
  // biome-ignore lint/suspicious/noExplicitAny: the three tables share these columns; Kysely cannot type a column across a union of tables.
  const e = eb as unknown as ExpressionBuilder<any, any>;
  const conditions: Expression<SqlBool>[] = [];
  if (!scope.all) {
    const either: Expression<SqlBool>[] = [];
    if (scope.organizations.length) {
      either.push(e('application_id', 'in', e.selectFrom('applications').select('id').where('organization_id', 'in', scope.organizations)));
    }
    if (scope.applications.length) either.push(e('application_id', 'in', scope.applications));
    conditions.push(either.length ? e.or(either) : sql<SqlBool>`1 = 0`);
  }
  if (scope.categoryId) {
    conditions.push(
      e('application_id', 'in', e.selectFrom('application_category_assignments').select('application_id').where('category_id', '=', scope.categoryId)),
    );
  }
  if (scope.stage) conditions.push(e('stage', '=', scope.stage));
  return e.and(conditions);
}

function clamp(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new ValidationError(`${name} must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}

async function scopeFor(ctx: AppContext, principal: Principal, query: DashboardQuery): Promise<Scope> {
  const db = ctx.store.db;
  const stage = query.stageId === undefined ? undefined : checkStage(query.stageId);
  const categoryId = query.applicationCategoryId?.trim() || undefined;
  if (categoryId) {
    const category = await db.selectFrom('application_categories').select('id').where('id', '=', categoryId).executeTakeFirst();
    if (!category) throw new NotFoundError(`No application category ${categoryId}`);
  }
  const visible = await visibleOwners(ctx.store, principal, 'READ');
  const organizationId = query.organizationId?.trim() || undefined;
  if (!organizationId) {
    return { all: visible.everything, organizations: [...visible.organizations], applications: [...visible.directApplications.keys()], categoryId, stage };
  }
  const organization = await db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!organization) throw new NotFoundError(`No organization ${organizationId}`);
  const below = new Set([organizationId, ...(await organizationDescendants(ctx.store, organizationId))]);
  return {
    all: false,
    organizations: [...below].filter((id) => visible.organizations.has(id)),
    applications: [...visible.directApplications].filter(([, org]) => below.has(org)).map(([id]) => id),
    categoryId,
    stage,
  };
}

function bands(row: Record<string, unknown>, prefix = ''): BandCounts {
  return Object.fromEntries(THREAT_BANDS.map((b) => [b, Number(row[`${prefix}${b}`] ?? 0)])) as BandCounts;
}

const DAY = 86_400_000;

export async function portfolioDashboard(ctx: AppContext, principal: Principal, query: DashboardQuery) {
  const days = clamp('days', query.days, 30, 1, 365);
  const limit = clamp('limit', query.limit, 10, 1, 100);
  const scope = await scopeFor(ctx, principal, query);
  const db = ctx.store.db;

  const totalsQuery = db
    .selectFrom('latest_reports')
    .where((eb) => inScope(eb, scope))
    .select((eb) => [
      eb.fn.countAll<number>().as('reports'),
      eb.fn.count<number>('application_id').distinct().as('applications'),
      ...[...THREAT_BANDS, ...CATEGORY_BAND_COLUMNS].map((c) => eb.fn.coalesce(eb.fn.sum<number>(c), sql<number>`0`).as(c)),
      ...(['Failure', 'Warning', 'None'] as const).map((action) =>
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('policy_action', '=', action).then(1).else(0).end()), sql<number>`0`).as(`action_${action}`),
      ),
    ]);

  const newestQuery = db
    .selectFrom('latest_reports as l')
    .innerJoin('applications as a', 'a.id', 'l.application_id')
    .where((eb) => inScope(eb as unknown as ExpressionBuilder<Database, 'latest_reports'>, scope))
    .select(['l.application_id', 'a.public_id', 'a.name', 'l.stage', 'l.report_id', 'l.created_at', 'l.policy_action', 'l.critical', 'l.severe', 'l.moderate', 'l.low'])
    .orderBy('l.created_at', 'desc')
    .orderBy('l.report_id')
    .limit(limit);

  // An application's counts are its worst stage's, band by band: a violation usually shows in
  // every stage the component reached, and counting it once per stage would rank by stages.
  const riskiestAppsQuery = db
    .selectFrom('latest_reports')
    .where((eb) => inScope(eb, scope))
    .groupBy('application_id')
    .select((eb) => ['application_id', ...THREAT_BANDS.map((b) => eb.fn.max<number>(b).as(b))])
    .having(sql<SqlBool>`max(critical) + max(severe) + max(moderate) + max(low) > 0`)
    .orderBy((eb) => eb.fn.max('critical'), 'desc')
    .orderBy((eb) => eb.fn.max('severe'), 'desc')
    .orderBy((eb) => eb.fn.max('moderate'), 'desc')
    .orderBy((eb) => eb.fn.max('low'), 'desc')
    .orderBy('application_id')
    .limit(limit);

  const today = Date.UTC(new Date(ctx.now()).getUTCFullYear(), ctx.now().getUTCMonth(), ctx.now().getUTCDate());
  const start = new Date(today - (days - 1) * DAY).toISOString();
  const baselineQuery = db
    .selectFrom('portfolio_changes')
    .where((eb) => inScope(eb, scope))
    .where('created_at', '<', start)
    .select((eb) => THREAT_BANDS.map((b) => eb.fn.coalesce(eb.fn.sum<number>(b), sql<number>`0`).as(b)));
  const dayExpr = sql<string>`substr(created_at, 1, 10)`;
  const changesQuery = db
    .selectFrom('portfolio_changes')
    .where((eb) => inScope(eb, scope))
    .where('created_at', '>=', start)
    .select((eb) => [dayExpr.as('day'), ...THREAT_BANDS.map((b) => eb.fn.sum<number>(b).as(b))])
    .groupBy(dayExpr);

  const [totals, newest, riskiestApps, baseline, changes, components] = await Promise.all([
    totalsQuery.executeTakeFirstOrThrow(),
    newestQuery.execute(),
    riskiestAppsQuery.execute(),
    baselineQuery.executeTakeFirstOrThrow(),
    changesQuery.execute(),
    riskiestComponents(ctx, scope, limit),
  ]);

  const appNames = new Map<string, { public_id: string; name: string; organization_id: string }>();
  if (riskiestApps.length) {
    const rows = await db
      .selectFrom('applications')
      .select(['id', 'public_id', 'name', 'organization_id'])
      .where(
        'id',
        'in',
        riskiestApps.map((r) => r.application_id),
      )
      .execute();
    for (const r of rows) appNames.set(r.id, r);
  }

  const byDay = new Map(changes.map((c) => [c.day, bands(c)]));
  let running = bands(baseline);
  const trend: Array<{ date: string } & BandCounts> = [];
  for (let t = today - (days - 1) * DAY; t <= today; t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    const change = byDay.get(date);
    if (change) running = Object.fromEntries(THREAT_BANDS.map((b) => [b, running[b] + change[b]])) as BandCounts;
    trend.push({ date, ...running });
  }

  const t = totals as Record<string, unknown>;
  return {
    filters: {
      ...(query.organizationId ? { organizationId: query.organizationId } : {}),
      ...(scope.categoryId ? { applicationCategoryId: scope.categoryId } : {}),
      ...(scope.stage ? { stageId: scope.stage } : {}),
    },
    evaluatedApplications: Number(t.applications),
    latestReports: Number(t.reports),
    policyActions: { Failure: Number(t.action_Failure), Warning: Number(t.action_Warning), None: Number(t.action_None) },
    openViolations: {
      ...bands(t),
      byPolicyType: THREAT_CATEGORIES.map((c) => ({ policyType: c.toUpperCase() as Uppercase<typeof c>, ...bands(t, `${c}_`) })),
    },
    newestEvaluations: newest.map((r) => ({
      applicationId: r.application_id,
      applicationPublicId: r.public_id,
      applicationName: r.name,
      stageId: r.stage,
      reportId: r.report_id,
      evaluationDate: r.created_at,
      policyAction: r.policy_action,
      openViolations: bands(r),
      reportHtmlUrl: reportUrls(r.public_id, r.report_id).reportHtmlUrl,
    })),
    riskiestApplications: riskiestApps.flatMap((r) => {
      const app = appNames.get(r.application_id);
      if (!app) return [];
      return [{ applicationId: r.application_id, applicationPublicId: app.public_id, applicationName: app.name, organizationId: app.organization_id, openViolations: bands(r) }];
    }),
    riskiestComponents: components,
    trend,
  };
}

/** Policy threat levels, worst first. */
const THREAT_LEVELS = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/**
 * The components with the worst open violations: ranked by their worst threat level, then by the
 * applications in which they have open violations of that level, then by those violations. Read
 * one threat level at a time, worst first, until the list is full: the first level's few thousand
 * rows usually fill it, and the many more rows of lower levels are never read.
 */
async function riskiestComponents(ctx: AppContext, scope: Scope, limit: number) {
  const out: Array<{ componentKey: string; displayName: string; threatLevel: number; applications: number; openViolations: number }> = [];
  for (const level of THREAT_LEVELS) {
    if (out.length >= limit) break;
    let query = ctx.store.db
      .selectFrom('latest_report_components')
      .where((eb) => inScope(eb, scope))
      .where('threat_level', '=', level);
    // Reaching a lower level means every component of the levels above is listed: those not again.
    if (out.length) {
      query = query.where(
        'component_key',
        'not in',
        out.map((c) => c.componentKey),
      );
    }
    const rows = await query
      .groupBy('component_key')
      .select((eb) => [
        'component_key',
        eb.fn.count<number>('application_id').distinct().as('applications'),
        eb.fn.sum<number>('open_violations').as('open_violations'),
      ])
      .orderBy((eb) => eb.fn.count('application_id').distinct(), 'desc')
      .orderBy((eb) => eb.fn.sum('open_violations'), 'desc')
      .orderBy('component_key')
      .limit(limit - out.length)
      .execute();
    for (const r of rows) {
      out.push({
        componentKey: r.component_key,
        displayName: r.component_key,
        threatLevel: level,
        applications: Number(r.applications),
        openViolations: Number(r.open_violations),
      });
    }
  }
  // Names after ranking, one row each (found by the same index), for the few listed: the ranking reads the index only.
  await Promise.all(
    out.map(async (c) => {
      const row = await ctx.store.db
        .selectFrom('latest_report_components')
        .select('display_name')
        .where('threat_level', '=', c.threatLevel)
        .where('component_key', '=', c.componentKey)
        .limit(1)
        .executeTakeFirst();
      if (row) c.displayName = row.display_name;
    }),
  );
  return out;
}
