import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ManagementAction } from '../webhooks/event-types.js';
import { payloadOwner, raisePolicyManagement } from '../webhooks/management-events.js';
import { PolicyDefinitionError, compilePolicy, policyTypeOfPolicy } from '../../policy/compile.js';
import type { CompileContext } from '../../policy/conditions/types.js';
import type { ActionTypeId, Constraint, Policy, PolicyOwnerType } from '../../policy/model.js';
import type { PolicyTable } from '../../store/tables/policies.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { listLabels } from './component-labels.js';
import { licenseThreatGroupsFor } from './license-threat-groups.js';
import { organizationAncestry } from '../owners/organization-tree.js';
import { ownerLine } from '../owners/owner-line.js';
import { type Owner, type OwnerTypeRefusal, resolveOwner } from '../owners/owner.js';
import { MAX_NAME_LENGTH } from '../owners/organizations.js';
import { ownedBy } from '../owners/owner-filter.js';
import { unlessDuplicate } from '../../store/unique.js';

/** What a client sends to create or change a policy (Tollgate's own API, in the reference's field names). */
export interface PolicyInput {
  name?: string;
  threatLevel?: number;
  actions?: Record<string, string>;
  constraints?: Array<{
    id?: string;
    name?: string;
    operator?: string;
    conditions?: Array<{ conditionTypeId?: string; operator?: string; value?: string | null }>;
  }>;
  tagIds?: string[];
  notifications?: Record<string, unknown>;
}

export interface PoliciesByOwner {
  ownerId: string;
  ownerName: string;
  ownerType: PolicyOwnerType;
  /** False for the owner asked about, true for the organizations above it. */
  inherited: boolean;
  policies: PolicyView[];
}

export type PolicyView = Policy & { policyType: string };

/** Policies belong to the root organization, organizations and applications (services/owners/). */
export const refusePolicyOwnerType: OwnerTypeRefusal = (ownerType) =>
  ownerType === 'repository'
    ? new NotFoundError('Tollgate has no repositories, so no repository policies')
    : new ValidationError(`Policies belong to organizations and applications, not to owner type "${ownerType}"`);

export function rowToPolicy(row: Selectable<PolicyTable>): PolicyView {
  const policy: Policy = {
    id: row.id,
    name: row.name,
    ownerType: row.owner_type as PolicyOwnerType,
    ownerId: row.owner_id,
    threatLevel: Number(row.threat_level),
    actions: JSON.parse(row.actions) as Record<string, ActionTypeId>,
    constraints: JSON.parse(row.constraints) as Constraint[],
    tagIds: JSON.parse(row.tag_ids) as string[],
    ...(row.notifications ? { notifications: JSON.parse(row.notifications) as Record<string, unknown> } : {}),
  };
  return { ...policy, policyType: policyTypeOfPolicy(policy) };
}

/** Policies of the given owners (from the root down), ordered by their position, then threat level (highest first), then name. */
export async function policiesOfOwners(ctx: AppContext, owners: Owner[]): Promise<PolicyView[]> {
  if (!owners.length) return [];
  const rows = await ctx.store.db
    .selectFrom('policies')
    .selectAll()
    .where(ownedBy(owners))
    .orderBy('threat_level', 'desc')
    .orderBy('name')
    .execute();
  const position = new Map(owners.map((o, i) => [`${o.type}:${o.id}`, i]));
  return rows
    .filter((r) => position.has(`${r.owner_type}:${r.owner_id}`))
    .map(rowToPolicy)
    .sort((a, b) => position.get(`${a.ownerType}:${a.ownerId}`)! - position.get(`${b.ownerType}:${b.ownerId}`)!);
}

/** An owner's own policies and those it inherits, grouped by owner (the owner first). */
export async function policiesFor(ctx: AppContext, owner: Owner): Promise<{ byOwner: PoliciesByOwner[]; effective: PolicyView[] }> {
  const line = await ownerLine(ctx.store, owner);
  const effective = await policiesOfOwners(ctx, [...line].reverse());
  const byOwner = line.map((o) => ({
    ownerId: o.id,
    ownerName: o.name,
    ownerType: o.type,
    inherited: !(o.type === owner.type && o.id === owner.id),
    policies: effective.filter((p) => p.ownerType === o.type && p.ownerId === o.id),
  }));
  return { byOwner, effective };
}

/**
 * The policies that apply to an application: the root organization's, every organization's down
 * to the application's, and the application's own (what the evaluation pipeline compiles). A
 * policy limited to application categories still comes back; the engine checks the categories.
 */
export async function effectivePolicies(ctx: AppContext, applicationId: string): Promise<Policy[]> {
  const owner = await resolveOwner(ctx.store, 'application', applicationId);
  return (await policiesOfOwners(ctx, (await ownerLine(ctx.store, owner)).reverse())).map(({ policyType: _t, ...p }) => p);
}

/** The application's category ids (for ApplicationFacts.categoryIds). */
export async function applicationCategoryIds(ctx: AppContext, applicationId: string): Promise<string[]> {
  const rows = await ctx.store.db.selectFrom('application_category_assignments').select('category_id').where('application_id', '=', applicationId).execute();
  return rows.map((r) => r.category_id).sort();
}

/** Application categories visible to an owner: those of its organization and every one above. */
export async function categoriesVisibleTo(ctx: AppContext, owner: Owner) {
  const ids = await organizationAncestry(ctx.store, owner.organizationId);
  return ctx.store.db.selectFrom('application_categories').selectAll().where('organization_id', 'in', ids).orderBy('name').execute();
}

/** Component labels visible to an owner: its own and those of every organization above it. */
export async function labelsVisibleTo(ctx: AppContext, owner: Owner) {
  return listLabels(ctx, owner, true);
}

/** What condition values may refer to for this owner: the license threat groups, categories and labels it can see. */
export async function compileContextFor(ctx: AppContext, owner: Owner): Promise<CompileContext> {
  const groups = await licenseThreatGroupsFor(ctx, owner);
  const licenseThreatGroups = new Map<string, { name: string }>();
  for (const o of groups.byOwner) for (const g of o.licenseThreatGroups) licenseThreatGroups.set(g.id, { name: g.name });
  const categories = await categoriesVisibleTo(ctx, owner);
  const labels = await labelsVisibleTo(ctx, owner);
  return {
    licenseThreatGroups,
    applicationCategories: new Map(categories.map((c) => [c.id, { name: c.name }])),
    labels: new Map(labels.map((l) => [l.id, { name: l.label }])),
  };
}

/**
 * Checks a policy input against the owner's context and returns the policy to store: every
 * problem in one ValidationError, condition type aliases in the reference's spelling.
 */
export function checkPolicy(input: PolicyInput, owner: Owner, context: CompileContext, existing?: Policy): Policy {
  const name = (input.name ?? existing?.name)?.trim();
  if (!name) throw new ValidationError('Policy name is required');
  if (name.length > MAX_NAME_LENGTH) throw new ValidationError(`Policy name must be at most ${MAX_NAME_LENGTH} characters long`);
  const threatLevel = input.threatLevel ?? existing?.threatLevel;
  if (threatLevel === undefined) throw new ValidationError('threatLevel is required (a whole number from 0 to 10)');
  const tagIds = [...new Set(input.tagIds ?? existing?.tagIds ?? [])];
  for (const id of tagIds) {
    if (!context.applicationCategories?.has(id)) throw new ValidationError(`tagIds: "${id}" is not an application category of this owner or above it`);
  }
  const constraints: Constraint[] = (input.constraints ?? existing?.constraints ?? []).map((c) => ({
    id: c.id?.trim() || newId(),
    name: (c.name ?? '').trim(),
    operator: (c.operator ?? 'AND') as 'AND' | 'OR',
    conditions: (c.conditions ?? []).map((d, i) => ({
      conditionTypeId: d.conditionTypeId ?? '',
      operator: d.operator ?? '',
      value: d.value ?? '',
      conditionIndex: i,
    })),
  }));
  const policy: Policy = {
    id: existing?.id ?? newId(),
    name,
    ownerType: owner.type,
    ownerId: owner.id,
    threatLevel,
    actions: (input.actions ?? existing?.actions ?? {}) as Record<string, ActionTypeId>,
    constraints,
    tagIds,
    ...((input.notifications ?? existing?.notifications) ? { notifications: input.notifications ?? existing?.notifications } : {}),
  };
  try {
    return compilePolicy(policy, context).policy;
  } catch (err) {
    if (err instanceof PolicyDefinitionError) throw new ValidationError(err.message);
    throw err;
  }
}

export function policyRow(policy: Policy, now: string, createdAt = now): PolicyTable {
  return {
    id: policy.id,
    owner_type: policy.ownerType,
    owner_id: policy.ownerId,
    name: policy.name,
    name_key: policy.name.trim().toLowerCase(),
    threat_level: policy.threatLevel,
    actions: JSON.stringify(policy.actions),
    constraints: JSON.stringify(policy.constraints),
    tag_ids: JSON.stringify(policy.tagIds),
    notifications: policy.notifications ? JSON.stringify(policy.notifications) : null,
    created_at: createdAt,
    updated_at: now,
  };
}

async function assertNameFree(ctx: AppContext, owner: Owner, name: string, exceptId?: string): Promise<void> {
  const clash = await ctx.store.db
    .selectFrom('policies')
    .select('id')
    .where(ownedBy(owner))
    .where('name_key', '=', name.trim().toLowerCase())
    .executeTakeFirst();
  if (clash && clash.id !== exceptId) throw new ConflictError(policyNameTaken(owner, name));
}

const policyNameTaken = (owner: Owner, name: string) => `A policy named "${name}" already exists on this ${owner.type}`;

export async function getPolicy(ctx: AppContext, owner: Owner, policyId: string): Promise<PolicyView> {
  const row = await ctx.store.db
    .selectFrom('policies')
    .selectAll()
    .where('id', '=', policyId)
    .where(ownedBy(owner))
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`Policy ${policyId} not found on ${owner.type} ${owner.id}`);
  return rowToPolicy(row);
}

export async function createPolicy(ctx: AppContext, owner: Owner, input: PolicyInput): Promise<PolicyView> {
  const policy = checkPolicy(input, owner, await compileContextFor(ctx, owner));
  await assertNameFree(ctx, owner, policy.name);
  await unlessDuplicate(
    ctx.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('policies').values(policyRow(policy, ctx.now().toISOString())).execute();
      await raisePolicyChange(trx, ctx, owner, policy, 'CREATE');
    }),
    policyNameTaken(owner, policy.name),
  );
  return getPolicy(ctx, owner, policy.id);
}

/** Replaces what the input names (name, threat level, actions, the whole constraint list, tags); keeps the rest. */
export async function updatePolicy(ctx: AppContext, owner: Owner, policyId: string, input: PolicyInput): Promise<PolicyView> {
  const existing = await getPolicy(ctx, owner, policyId);
  const policy = checkPolicy(input, owner, await compileContextFor(ctx, owner), existing);
  await assertNameFree(ctx, owner, policy.name, policyId);
  const { id: _id, created_at: _c, ...changes } = policyRow(policy, ctx.now().toISOString());
  await unlessDuplicate(
    ctx.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('policies').set(changes).where('id', '=', policyId).execute();
      await raisePolicyChange(trx, ctx, owner, policy, 'UPDATE');
    }),
    policyNameTaken(owner, policy.name),
  );
  return getPolicy(ctx, owner, policyId);
}

export async function deletePolicy(ctx: AppContext, owner: Owner, policyId: string): Promise<void> {
  const policy = await getPolicy(ctx, owner, policyId);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('policies').where('id', '=', policyId).execute();
    await raisePolicyChange(trx, ctx, owner, policy, 'DELETE');
  });
}

function raisePolicyChange(trx: Kysely<Database>, ctx: AppContext, owner: Owner, policy: { id: string; name: string; threatLevel: number }, action: ManagementAction) {
  return raisePolicyManagement(trx, ctx, {
    type: 'POLICY',
    action,
    id: policy.id,
    owner: payloadOwner(owner),
    item: { list: 'policies', value: { id: policy.id, name: policy.name, threatLevel: policy.threatLevel } },
  });
}

/** Every policy on the given owners (for GET /api/v2/policies, filtered to what the caller may view). */
export async function listAllPolicies(ctx: AppContext, visible: { organizations: Set<string>; applications: Set<string> }): Promise<PolicyView[]> {
  const rows = await ctx.store.db.selectFrom('policies').selectAll().orderBy('owner_id').orderBy('threat_level', 'desc').orderBy('name').execute();
  return rows
    .filter((r) => (r.owner_type === 'organization' ? visible.organizations.has(r.owner_id) : visible.applications.has(r.owner_id)))
    .map(rowToPolicy);
}
