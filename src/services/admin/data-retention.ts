import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { ROOT_ORGANIZATION_ID } from '../../core/ids.js';
import { organizationAncestry } from '../owners/organization-tree.js';
import { retryOnDuplicate } from '../../store/unique.js';

/**
 * Data retention policies: how long application reports (per stage, and those of continuous
 * monitoring) and success metrics are kept. The root organization has a complete policy (the
 * defaults until changed); every other organization inherits each setting from its parent unless it
 * sets it itself. Applications always follow their organization.
 *
 * Only the settings are kept here; services/admin/report-retention.ts purges an application's reports by
 * `effectiveRetentionPolicy` whenever it gets a new one (the latest report of each stage is always kept).
 */

export const RETENTION_STAGES = ['develop', 'source', 'build', 'stage-release', 'release', 'operate', 'continuous-monitoring'] as const;
export type RetentionStage = (typeof RETENTION_STAGES)[number];

/** `3 months`, `1 year`, `30 days`, `2 weeks`: a count and a unit. */
const MAX_AGE_PATTERN = /^\s*(\d{1,4})\s+(day|week|month|year)s?\s*$/i;
export const MAX_COUNT_LIMIT = 1_000_000;

export interface ReportRetention {
  inheritPolicy: boolean;
  enablePurging: boolean;
  maxAge?: string;
  maxCount?: number;
}

export interface SuccessMetricsRetention {
  inheritPolicy: boolean;
  enablePurging: boolean;
  maxAge?: string;
}

export interface RetentionPolicies {
  applicationReports: { stages: Partial<Record<RetentionStage, ReportRetention>> };
  successMetrics: SuccessMetricsRetention;
}

/** What a caller sends: any part may be left out. */
export interface RetentionInput {
  applicationReports?: { stages?: Record<string, Partial<ReportRetention> | undefined> };
  successMetrics?: Partial<SuccessMetricsRetention>;
}

/** The settings an organization made itself: a stage or success metrics absent here is inherited. */
interface OwnSettings {
  stages: Partial<Record<RetentionStage, Omit<ReportRetention, 'inheritPolicy'>>>;
  successMetrics?: Omit<SuccessMetricsRetention, 'inheritPolicy'>;
}

/** The root organization's settings until someone changes them (as the reference product ships). */
export const DEFAULT_RETENTION: Required<OwnSettings> = {
  stages: {
    develop: { enablePurging: true, maxAge: '3 months' },
    source: { enablePurging: true, maxAge: '3 months' },
    build: { enablePurging: true, maxAge: '3 months' },
    'stage-release': { enablePurging: true, maxAge: '3 months' },
    release: { enablePurging: true, maxAge: '10 years' },
    operate: { enablePurging: true, maxAge: '10 years' },
    'continuous-monitoring': { enablePurging: true, maxAge: '3 months' },
  },
  successMetrics: { enablePurging: true, maxAge: '1 year' },
};

/** Normalizes a max age (`3 Months` → `3 months`, `1 years` → `1 year`); 400 when it is not one. */
export function checkMaxAge(value: string, where: string): string {
  const match = MAX_AGE_PATTERN.exec(value);
  const count = match ? Number(match[1]) : 0;
  if (!match || count < 1) {
    throw new ValidationError(`${where}.maxAge "${value}" is not a duration such as "30 days", "2 weeks", "3 months" or "1 year"`);
  }
  const unit = match[2].toLowerCase();
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function checkMaxCount(value: number, where: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_COUNT_LIMIT) {
    throw new ValidationError(`${where}.maxCount must be a whole number from 1 to ${MAX_COUNT_LIMIT}`);
  }
  return value;
}

function checkReportSetting(entry: Partial<ReportRetention>, where: string): Omit<ReportRetention, 'inheritPolicy'> {
  const enablePurging = entry.enablePurging ?? false;
  const maxAge = entry.maxAge ? checkMaxAge(entry.maxAge, where) : undefined;
  const maxCount = entry.maxCount !== undefined ? checkMaxCount(entry.maxCount, where) : undefined;
  if (enablePurging && maxAge === undefined && maxCount === undefined) {
    throw new ValidationError(`${where} enables purging without maxAge or maxCount: say what to purge`);
  }
  return { enablePurging, ...(maxAge !== undefined ? { maxAge } : {}), ...(maxCount !== undefined ? { maxCount } : {}) };
}

function checkMetricsSetting(entry: Partial<SuccessMetricsRetention>): Omit<SuccessMetricsRetention, 'inheritPolicy'> {
  if ((entry as { maxCount?: unknown }).maxCount !== undefined) throw new ValidationError('successMetrics has no maxCount: only maxAge');
  const enablePurging = entry.enablePurging ?? false;
  const maxAge = entry.maxAge ? checkMaxAge(entry.maxAge, 'successMetrics') : undefined;
  if (enablePurging && maxAge === undefined) throw new ValidationError('successMetrics enables purging without maxAge: say what to purge');
  return { enablePurging, ...(maxAge !== undefined ? { maxAge } : {}) };
}

async function ownSettings(ctx: AppContext, organizationIds: string[]): Promise<Map<string, OwnSettings>> {
  const rows = await ctx.store.db.selectFrom('data_retention_policies').selectAll().where('organization_id', 'in', organizationIds).execute();
  return new Map(rows.map((r) => [r.organization_id, JSON.parse(r.policy) as OwnSettings]));
}

/** The policy in effect for the last organization of `chain` (root first), with its own inherit flags. */
async function resolve(ctx: AppContext, chain: string[]): Promise<RetentionPolicies> {
  const own = await ownSettings(ctx, chain);
  let stages: OwnSettings['stages'] = { ...DEFAULT_RETENTION.stages };
  let metrics = DEFAULT_RETENTION.successMetrics;
  for (const id of chain) {
    const settings = own.get(id);
    if (!settings) continue;
    stages = { ...stages, ...settings.stages };
    if (settings.successMetrics) metrics = settings.successMetrics;
  }
  const last = own.get(chain[chain.length - 1]);
  const isRoot = chain.length === 1;
  const result: RetentionPolicies = {
    applicationReports: { stages: {} },
    successMetrics: { inheritPolicy: !isRoot && !last?.successMetrics, ...metrics },
  };
  for (const stage of RETENTION_STAGES) {
    const setting = stages[stage];
    if (setting) result.applicationReports.stages[stage] = { inheritPolicy: !isRoot && !last?.stages[stage], ...setting };
  }
  return result;
}

/** The policy in effect for an organization: its own settings, the rest inherited. */
export async function effectiveRetentionPolicy(ctx: AppContext, organizationId: string): Promise<RetentionPolicies> {
  return resolve(ctx, await organizationAncestry(ctx.store, organizationId));
}

/** The policy in effect for an organization's parent. */
export async function parentRetentionPolicy(ctx: AppContext, organizationId: string): Promise<RetentionPolicies> {
  const chain = await organizationAncestry(ctx.store, organizationId);
  if (chain.length === 1) throw new NotFoundError('The root organization has no parent organization, so it has no parent retention policy');
  return resolve(ctx, chain.slice(0, -1));
}

/**
 * Sets an organization's own settings. Stages (and success metrics) named in the input are replaced:
 * `inheritPolicy: true` returns them to the parent's; those left out stay as they were.
 */
export async function setRetentionPolicy(ctx: AppContext, organizationId: string, input: RetentionInput): Promise<void> {
  const isRoot = organizationId === ROOT_ORGANIZATION_ID;
  const givenStages = input.applicationReports?.stages ?? {};
  const stageChanges: Array<[RetentionStage, Omit<ReportRetention, 'inheritPolicy'> | undefined]> = [];
  for (const [stage, entry] of Object.entries(givenStages)) {
    if (!(RETENTION_STAGES as readonly string[]).includes(stage)) {
      throw new ValidationError(`applicationReports.stages has no stage "${stage}": use ${RETENTION_STAGES.join(', ')}`);
    }
    if (!entry) continue;
    const where = `applicationReports.stages.${stage}`;
    if (entry.inheritPolicy) {
      if (isRoot) throw new ValidationError(`${where}: the root organization has no parent to inherit from`);
      stageChanges.push([stage as RetentionStage, undefined]);
    } else {
      stageChanges.push([stage as RetentionStage, checkReportSetting(entry, where)]);
    }
  }
  let metricsChange: { value: OwnSettings['successMetrics'] } | undefined;
  if (input.successMetrics) {
    if (input.successMetrics.inheritPolicy) {
      if (isRoot) throw new ValidationError('successMetrics: the root organization has no parent to inherit from');
      metricsChange = { value: undefined };
    } else {
      metricsChange = { value: checkMetricsSetting(input.successMetrics) };
    }
  }

  const save = () => ctx.store.db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!org) throw new NotFoundError(`Organization ${organizationId} not found`);
    const row = await trx.selectFrom('data_retention_policies').select('policy').where('organization_id', '=', organizationId).executeTakeFirst();
    // The root starts from the defaults so that it always holds a complete policy.
    const settings: OwnSettings = row ? (JSON.parse(row.policy) as OwnSettings) : isRoot ? structuredClone(DEFAULT_RETENTION) : { stages: {} };
    for (const [stage, value] of stageChanges) {
      if (value) settings.stages[stage] = value;
      else delete settings.stages[stage];
    }
    if (metricsChange) {
      if (metricsChange.value) settings.successMetrics = metricsChange.value;
      else delete settings.successMetrics;
    }
    const values = { policy: JSON.stringify(settings), updated_at: ctx.now().toISOString() };
    if (row) await trx.updateTable('data_retention_policies').set(values).where('organization_id', '=', organizationId).execute();
    else await trx.insertInto('data_retention_policies').values({ organization_id: organizationId, ...values }).execute();
  });
  // A concurrent save may insert the same row first: run again, this one then finds that row.
  await retryOnDuplicate(save);
}
