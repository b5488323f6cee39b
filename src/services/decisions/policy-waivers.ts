import { raiseWaiverEvent } from '../webhooks/waiver-events.js';
import type { Selectable } from 'kysely';
import type { ComponentIdentifier } from '../../ecosystems/identity.js';
import type { ReportComponent, ReportViolation } from '../../evaluation/report.js';
import type { PolicyWaiverTable } from '../../store/tables/waivers.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { ROOT_ORGANIZATION_ID, newId } from '../../core/ids.js';
import { organizationDescendants } from '../owners/organization-tree.js';
import { getReport, reportsHoldingViolations } from '../reports/reports.js';
import { parseIdentifierColumn } from './owned-components.js';
import { ownerColumns } from '../owners/owner-columns.js';
import type { Owner } from '../owners/owner.js';
import { ownerLine } from '../owners/owner-line.js';
import { ownedBy } from '../owners/owner-filter.js';

/**
 * Policy waivers: a person's decision that a policy's violations do not count for a component
 * (exactly that one, any version of it, or every component) within an organization or
 * application and everything below it, until an optional expiry. Waivers are made from a
 * violation in a stored report; evaluation loads the ones in effect for an application once
 * (`waiversFor`, services/decisions/waivers-in-effect.ts) and the policy engine marks the violations they cover as waived.
 */

export const MATCHER_STRATEGIES = ['DEFAULT', 'EXACT_COMPONENT', 'ALL_COMPONENTS', 'ALL_VERSIONS'] as const;
/** What is stored: DEFAULT is resolved when the waiver is made. */
export type StoredMatcherStrategy = 'EXACT_COMPONENT' | 'ALL_COMPONENTS' | 'ALL_VERSIONS';

export const MAX_WAIVER_COMMENT_LENGTH = 2000;
const MAX_REASON_ID_LENGTH = 100;
/** ISO 8601 date-time with a zone, as the reference's `format: date-time` (and Java clients' `+0000`). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** Violation ids are newId()s. */
const VIOLATION_ID = /^[0-9a-f]{32}$/;

/** The reference's ApiWaiverOptionsDTO. */
export interface WaiverOptionsInput {
  comment?: string;
  matcherStrategy?: string;
  expiryTime?: string;
  expireWhenRemediationAvailable?: boolean;
  waiverReasonId?: string;
  /** Deprecated by the reference in favour of matcherStrategy, which wins when both are given. */
  applyToAllComponents?: boolean;
}

/** The reference's ApiPolicyWaiverDTO (the fields Tollgate has data for). */
export interface PolicyWaiverView {
  policyWaiverId: string;
  policyViolationId?: string;
  policyId: string;
  policyName: string;
  threatLevel: number;
  comment: string;
  createTime: string;
  creatorId?: string;
  creatorName?: string;
  expiryTime?: string;
  expireWhenRemediationAvailable: boolean;
  matcherStrategy: StoredMatcherStrategy;
  scopeOwnerType: string;
  scopeOwnerId: string;
  scopeOwnerName: string;
  hash?: string;
  associatedPackageUrl?: string;
  componentIdentifier?: ComponentIdentifier;
  displayName?: { name: string };
  componentName?: string;
  constraintFacts?: ConstraintFactView[];
  policyWaiverReasonId?: string;
  vulnerabilityId?: string;
  isObsolete: boolean;
  /** True once a version of the component without the waived violation was found (expireWhenRemediationAvailable). */
  componentUpgradeAvailable?: boolean;
}

interface ConstraintFactView {
  constraintId: string;
  constraintName: string;
  conditionFacts: Array<{ summary: string; reason: string; reference?: { type: 'SECURITY_VULNERABILITY_REFID'; value: string } }>;
}

type WaiverRow = Selectable<PolicyWaiverTable>;

interface CheckedOptions {
  comment: string;
  expiryTime: string | null;
  expireWhenRemediationAvailable: boolean;
  reasonId: string | null;
}

function checkOptions(input: WaiverOptionsInput, strategy: StoredMatcherStrategy, now: Date): CheckedOptions {
  const comment = input.comment?.trim() ?? '';
  if (!comment) throw new ValidationError('comment is required: say why the violation is waived');
  if (comment.length > MAX_WAIVER_COMMENT_LENGTH) throw new ValidationError(`comment must be at most ${MAX_WAIVER_COMMENT_LENGTH} characters long`);
  let expiryTime: string | null = null;
  if (input.expiryTime !== undefined && input.expiryTime !== null && input.expiryTime.trim() !== '') {
    const text = input.expiryTime.trim();
    const time = ISO_DATE_TIME.test(text) && realCalendarDate(text) ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
    if (Number.isNaN(time)) throw new ValidationError(`expiryTime "${text}" is not an ISO 8601 date and time with a zone, e.g. 2027-01-31T00:00:00Z`);
    if (time <= now.getTime()) throw new ValidationError(`expiryTime ${text} is not in the future: a waiver that has already expired would waive nothing`);
    expiryTime = new Date(time).toISOString();
  }
  const expireWhenRemediationAvailable = input.expireWhenRemediationAvailable === true;
  if (expireWhenRemediationAvailable && strategy !== 'EXACT_COMPONENT') {
    throw new ValidationError('expireWhenRemediationAvailable can only be set for a waiver of one exact component (matcherStrategy EXACT_COMPONENT)');
  }
  const reasonId = input.waiverReasonId?.trim() || null;
  if (reasonId && reasonId.length > MAX_REASON_ID_LENGTH) throw new ValidationError(`waiverReasonId must be at most ${MAX_REASON_ID_LENGTH} characters long`);
  return { comment, expiryTime, expireWhenRemediationAvailable, reasonId };
}

/** Date.parse rolls 2027-02-30 over into March; a person who wrote it made a mistake. */
function realCalendarDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

function checkStrategy(input: WaiverOptionsInput): (typeof MATCHER_STRATEGIES)[number] {
  const raw = input.matcherStrategy ?? (input.applyToAllComponents === undefined ? undefined : input.applyToAllComponents ? 'ALL_COMPONENTS' : 'EXACT_COMPONENT');
  const key = raw?.trim().toUpperCase();
  if (!key) throw new ValidationError(`matcherStrategy is required: one of ${MATCHER_STRATEGIES.join(', ')}`);
  if (!(MATCHER_STRATEGIES as readonly string[]).includes(key)) throw new ValidationError(`matcherStrategy "${raw}" is not one of ${MATCHER_STRATEGIES.join(', ')}`);
  return key as (typeof MATCHER_STRATEGIES)[number];
}

/** The applications whose reports a waiver on `owner` may come from: the application, or every one at or below the organization. */
async function applicationsUnder(ctx: AppContext, owner: Owner): Promise<string[]> {
  if (owner.type === 'application') return [owner.id];
  const orgs = [owner.id, ...(await organizationDescendants(ctx.store, owner.id))];
  const rows = await ctx.store.db.selectFrom('applications').select('id').where('organization_id', 'in', orgs).execute();
  return rows.map((r) => r.id);
}

export interface FoundViolation {
  reportId: string;
  applicationId: string;
  component: ReportComponent;
  violation: ReportViolation;
}

/** The most violation ids one bulk waiver request may name (the reference's limit). */
export const MAX_BULK_VIOLATIONS = 1000;

/**
 * Violations of stored reports of the applications at or below `owner`, by id (ids not found, or
 * of reports elsewhere, are absent from the answer): a violation id names its report, whose
 * document is then read once for all the ids it holds.
 */
export async function findViolations(ctx: AppContext, owner: Owner, policyViolationIds: readonly string[]): Promise<Map<string, FoundViolation>> {
  const found = new Map<string, FoundViolation>();
  const wanted = [...new Set(policyViolationIds.map((id) => id.trim().toLowerCase()).filter((id) => VIOLATION_ID.test(id)))];
  if (!wanted.length) return found;
  const applicationIds = new Set(await applicationsUnder(ctx, owner));
  const byReport = new Map<string, { applicationId: string; ids: Set<string> }>();
  for (const [id, report] of await reportsHoldingViolations(ctx, wanted)) {
    if (!applicationIds.has(report.application_id)) continue;
    const entry = byReport.get(report.id) ?? { applicationId: report.application_id, ids: new Set<string>() };
    entry.ids.add(id);
    byReport.set(report.id, entry);
  }
  for (const [reportId, { applicationId, ids }] of byReport) {
    const { data } = await getReport(ctx, applicationId, reportId);
    for (const component of data.components) {
      for (const violation of component.violations) {
        if (ids.has(violation.policyViolationId)) found.set(violation.policyViolationId, { reportId, applicationId, component, violation });
      }
    }
  }
  return found;
}

function componentColumnsFor(strategy: StoredMatcherStrategy, component: ReportComponent) {
  const none = { component_hash: null, package_url: null, component_identifier: null, display_name: null };
  if (strategy === 'ALL_COMPONENTS') return none;
  const identity = {
    package_url: component.packageUrl ?? null,
    component_identifier: component.componentIdentifier ? JSON.stringify(component.componentIdentifier) : null,
    display_name: component.displayName,
  };
  if (strategy === 'ALL_VERSIONS') {
    if (!component.packageUrl) {
      throw new ValidationError(`${component.displayName} has no package URL, so "all versions" of it cannot be told apart from other components: waive the exact component instead`);
    }
    return { ...identity, component_hash: null };
  }
  return { ...identity, component_hash: component.hash };
}

function constraintFactsOf(violation: ReportViolation): ConstraintFactView[] {
  return violation.constraints.map((c) => ({
    constraintId: c.constraintId,
    constraintName: c.constraintName,
    conditionFacts: c.conditions.map((f) => ({
      summary: f.summary,
      reason: f.reason,
      ...(f.reference?.type === 'SECURITY_VULNERABILITY_REFID' ? { reference: { type: 'SECURITY_VULNERABILITY_REFID' as const, value: f.reference.value } } : {}),
    })),
  }));
}

/** The one vulnerability a violation is about, when it is about exactly one. */
function vulnerabilityOf(facts: readonly ConstraintFactView[]): string | undefined {
  const ids = new Set<string>();
  for (const c of facts) for (const f of c.conditionFacts) if (f.reference) ids.add(f.reference.value);
  return ids.size === 1 ? [...ids][0] : undefined;
}

async function creatorOf(ctx: AppContext, username: string): Promise<{ creator_id: string; creator_name: string }> {
  const user = await ctx.store.db.selectFrom('users').select(['first_name', 'last_name']).where('username', '=', username).executeTakeFirst();
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(' ');
  return { creator_id: username, creator_name: name || username };
}

/**
 * Waives violations of stored reports on `owner` (their applications or one of their
 * organizations): each violation's policy, for its component as the matcher strategy says. All or
 * nothing: an unknown violation, or one whose policy is gone, stores no waiver at all.
 */
export async function waiveViolations(
  ctx: AppContext,
  owner: Owner,
  policyViolationIds: readonly string[],
  input: WaiverOptionsInput,
  actor: { username: string },
): Promise<WaiverRow[]> {
  const requested = checkStrategy(input);
  // Reported components always have a hash, so DEFAULT is the exact component (the reference's
  // DEFAULT waives every component only when there is no hash).
  const strategy: StoredMatcherStrategy = requested === 'DEFAULT' ? 'EXACT_COMPONENT' : requested;
  const options = checkOptions(input, strategy, ctx.now());
  const ids = [...new Set(policyViolationIds.map((id) => id.trim()))];
  if (!ids.length || ids.some((id) => !id)) throw new ValidationError('violationIds must name at least one policy violation, none of them blank');
  if (ids.length > MAX_BULK_VIOLATIONS) throw new ValidationError(`At most ${MAX_BULK_VIOLATIONS} violations can be waived at once, not ${ids.length}`);
  const found = await findViolations(ctx, owner, ids);
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length) {
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new NotFoundError(`No policy violation ${shown} in the reports of ${owner.type} ${owner.id}`);
  }
  const violations = [...found.values()];
  const policyIds = [...new Set(violations.map((f) => f.violation.policyId))];
  const policies = await ctx.store.db.selectFrom('policies').select('id').where('id', 'in', policyIds).execute();
  const existing = new Set(policies.map((p) => p.id));
  const gone = violations.find((f) => !existing.has(f.violation.policyId));
  if (gone) {
    throw new NotFoundError(`The policy of violation ${gone.violation.policyViolationId} (${gone.violation.policyName}) no longer exists: there is nothing to waive`);
  }
  const creator = await creatorOf(ctx, actor.username);
  const now = ctx.now().toISOString();
  const rows = violations.map(
    (f): WaiverRow => ({
      id: newId(),
      ...ownerColumns(owner),
      policy_id: f.violation.policyId,
      matcher_strategy: strategy,
      ...componentColumnsFor(strategy, f.component),
      policy_violation_id: f.violation.policyViolationId,
      constraint_facts: JSON.stringify(constraintFactsOf(f.violation)),
      comment: options.comment,
      reason_id: options.reasonId,
      expiry_time: options.expiryTime,
      expire_when_remediation_available: options.expireWhenRemediationAvailable ? 1 : 0,
      ...creator,
      created_at: now,
    }),
  );
  await ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 100) await trx.insertInto('policy_waivers').values(rows.slice(i, i + 100)).execute();
    for (const row of rows) await raiseWaiverEvent(trx, ctx, 'iq:policyWaiverManagement', row, 'CREATE');
  });
  return rows;
}

function scopeOwnerType(owner: { type: string; id: string }): string {
  return owner.type === 'organization' && owner.id === ROOT_ORGANIZATION_ID ? 'root_organization' : owner.type;
}

function toView(row: WaiverRow, policy: { name: string; threatLevel: number }, owner: { type: string; id: string; name: string }): PolicyWaiverView {
  const facts = row.constraint_facts ? (JSON.parse(row.constraint_facts) as ConstraintFactView[]) : undefined;
  const identifier = parseIdentifierColumn(row.component_identifier);
  const view: PolicyWaiverView = {
    policyWaiverId: row.id,
    policyId: row.policy_id,
    policyName: policy.name,
    threatLevel: policy.threatLevel,
    comment: row.comment,
    createTime: row.created_at,
    expireWhenRemediationAvailable: Number(row.expire_when_remediation_available) === 1,
    matcherStrategy: row.matcher_strategy as StoredMatcherStrategy,
    scopeOwnerType: scopeOwnerType(owner),
    scopeOwnerId: row.owner_id,
    scopeOwnerName: owner.name,
    isObsolete: false,
  };
  if (row.policy_violation_id) view.policyViolationId = row.policy_violation_id;
  if (row.creator_id) view.creatorId = row.creator_id;
  if (row.creator_name) view.creatorName = row.creator_name;
  if (row.expiry_time) view.expiryTime = row.expiry_time;
  if (row.component_hash) view.hash = row.component_hash;
  if (row.package_url) view.associatedPackageUrl = row.package_url;
  if (identifier) view.componentIdentifier = identifier;
  if (row.display_name) {
    view.displayName = { name: row.display_name };
    view.componentName = row.display_name;
  }
  if (facts) {
    view.constraintFacts = facts;
    const vulnerability = vulnerabilityOf(facts);
    if (vulnerability) view.vulnerabilityId = vulnerability;
  }
  if (row.reason_id) view.policyWaiverReasonId = row.reason_id;
  return view;
}

/** Rows of the given owners with their policy's name and threat level, nearest owner first, then oldest first. */
async function waiverRows(ctx: AppContext, owners: Owner[], options: { unexpiredAt?: Date; id?: string } = {}) {
  let query = ctx.store.db
    .selectFrom('policy_waivers as w')
    .innerJoin('policies as p', 'p.id', 'w.policy_id')
    .selectAll('w')
    .select(['p.name as policy_name', 'p.threat_level as policy_threat_level'])
    .where(ownedBy(owners, 'w'));
  if (options.unexpiredAt) {
    const now = options.unexpiredAt.toISOString();
    query = query.where((eb) => eb.or([eb('w.expiry_time', 'is', null), eb('w.expiry_time', '>', now)]));
  }
  if (options.id !== undefined) query = query.where('w.id', '=', options.id);
  const rows = await query.orderBy('w.created_at').orderBy('w.id').execute();
  const distance = new Map(owners.map((o, i) => [`${o.type}:${o.id}`, i]));
  const at = (r: { owner_type: string; owner_id: string }) => distance.get(`${r.owner_type}:${r.owner_id}`) ?? owners.length;
  return rows.sort((a, b) => at(a) - at(b)).map((r) => ({ row: r, owner: owners[at(r)] }));
}

/**
 * The waivers in effect at an owner, as the reference lists them: its own and those of the
 * organizations above it (each says where it was made), expired ones left out.
 */
export async function listWaivers(ctx: AppContext, owner: Owner): Promise<PolicyWaiverView[]> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await waiverRows(ctx, owners, { unexpiredAt: ctx.now() });
  return rows.map(({ row, owner: o }) => toView(row, { name: row.policy_name, threatLevel: Number(row.policy_threat_level) }, o));
}

/** One waiver in effect at an owner (its own or inherited, expired ones included). */
export async function getWaiver(ctx: AppContext, owner: Owner, policyWaiverId: string): Promise<PolicyWaiverView> {
  const owners = await ownerLine(ctx.store, owner);
  const [found] = await waiverRows(ctx, owners, { id: policyWaiverId });
  if (!found) throw new NotFoundError(`Policy waiver ${policyWaiverId} not found on ${owner.type} ${owner.id}`);
  const view = toView(found.row, { name: found.row.policy_name, threatLevel: Number(found.row.policy_threat_level) }, found.owner);
  // A waiver that ended because a version without its violation became available says so.
  if (await waiverRemediation(ctx, found.row.id)) view.componentUpgradeAvailable = true;
  return view;
}

/** The owner's own waiver (changes are made where the waiver was made, with the permission held there). */
async function ownWaiver(ctx: AppContext, owner: Owner, policyWaiverId: string): Promise<WaiverRow> {
  const row = await ctx.store.db
    .selectFrom('policy_waivers')
    .selectAll()
    .where('id', '=', policyWaiverId)
    .where(ownedBy(owner))
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`Policy waiver ${policyWaiverId} not found on ${owner.type} ${owner.id}`);
  return row;
}

/** Changes a waiver's comment, expiry and reason; its policy, component and matcher strategy stay (as in the reference). */
export async function updateWaiver(ctx: AppContext, owner: Owner, policyWaiverId: string, input: WaiverOptionsInput): Promise<void> {
  const row = await ownWaiver(ctx, owner, policyWaiverId);
  const requested = checkStrategy(input);
  if (requested !== 'DEFAULT' && requested !== row.matcher_strategy) {
    throw new ValidationError(`matcherStrategy cannot be changed (the waiver is ${row.matcher_strategy}): delete it and waive the violation again`);
  }
  const options = checkOptions(input, row.matcher_strategy as StoredMatcherStrategy, ctx.now());
  const changes = {
    comment: options.comment,
    expiry_time: options.expiryTime,
    expire_when_remediation_available: options.expireWhenRemediationAvailable ? 1 : 0,
    reason_id: options.reasonId,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('policy_waivers').set(changes).where('id', '=', row.id).execute();
    await raiseWaiverEvent(trx, ctx, 'iq:policyWaiverManagement', { ...row, ...changes }, 'UPDATE');
  });
}

export async function deleteWaiver(ctx: AppContext, owner: Owner, policyWaiverId: string): Promise<void> {
  const row = await ownWaiver(ctx, owner, policyWaiverId);
  await ctx.store.db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('policy_waivers').where('id', '=', row.id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`Policy waiver ${policyWaiverId} not found on ${owner.type} ${owner.id}`);
    await raiseWaiverEvent(trx, ctx, 'iq:policyWaiverManagement', row, 'DELETE');
  });
}

/** The remediating version that ended a waiver, if one did (services/decisions/waiver-remediation.ts writes it). */
export async function waiverRemediation(ctx: AppContext, waiverId: string): Promise<{ packageUrl: string; version: string; foundAt: string } | undefined> {
  const row = await ctx.store.db.selectFrom('waiver_remediations').selectAll().where('waiver_id', '=', waiverId).executeTakeFirst();
  return row ? { packageUrl: row.package_url, version: row.version, foundAt: row.found_at } : undefined;
}
