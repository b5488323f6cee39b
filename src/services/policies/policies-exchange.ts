import { PolicyDefinitionError, compilePolicy } from '../../policy/compile.js';
import { conditionType } from '../../policy/conditions/index.js';
import type { CompileContext } from '../../policy/conditions/types.js';
import type { ActionTypeId, Policy, PolicyNotifications } from '../../policy/model.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { checkGroupLicenseId, licenseThreatGroupsFor, nameKey } from './license-threat-groups.js';
import { LABEL_COLORS, newLabelRow } from './component-labels.js';
import { CATEGORY_COLORS } from '../owners/organizations.js';
import { policyTagId } from './policy-tags.js';
import { checkNotifications } from './policy-notifications.js';
import {
  categoriesVisibleTo,
  compileContextFor,
  labelsVisibleTo,
  policiesOfOwners,
  policyRow,
} from './policies.js';
import { ownerLine } from '../owners/owner-line.js';
import type { Owner } from '../owners/owner.js';
import { ownedBy } from '../owners/owner-filter.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { payloadOwner, raisePolicyManagement } from '../webhooks/management-events.js';

/** The reference's PolicyExportResult, as Tollgate writes and reads it. */
export interface PolicyExport {
  policies?: ExportedPolicy[];
  licenseThreatGroups?: Array<{ id?: string; name?: string; nameLowercaseNoWhitespace?: string; ownerId?: string; threatLevel?: number }>;
  licenseThreatGroupLicenses?: Array<{ id?: string; licenseId?: string; licenseThreatGroupId?: string; ownerId?: string }>;
  labels?: Array<{ id?: string; label?: string; labelLowercase?: string; description?: string; color?: string; ownerId?: string }>;
  tags?: Array<{ id?: string; name?: string; nameLowercaseNoWhitespace?: string; description?: string; color?: string; organizationId?: string }>;
  policyTags?: Array<{ id?: string; policyId?: string; tagId?: string }>;
}

export interface ExportedPolicy {
  id?: string;
  name?: string;
  ownerId?: string;
  threatLevel?: number;
  actions?: Record<string, string>;
  constraints?: Array<{
    id?: string;
    name?: string;
    operator?: string;
    conditions?: Array<{ conditionTypeId?: string; operator?: string; value?: string | null; conditionIndex?: number }>;
  }>;
  notifications?: Record<string, unknown>;
  [other: string]: unknown;
}

/** What the export writes: every field present. */
export interface PolicyExportResult {
  policies: Array<{
    id: string;
    name: string;
    ownerId: string;
    threatLevel: number;
    actions: Record<string, string>;
    constraints: Array<{ id: string; name: string; operator: string; conditions: Array<{ conditionTypeId: string; operator: string; value: string; conditionIndex: number }> }>;
    notifications: PolicyNotifications;
  }>;
  licenseThreatGroups: Array<{ id: string; name: string; nameLowercaseNoWhitespace: string; ownerId: string; threatLevel: number }>;
  licenseThreatGroupLicenses: Array<{ id: string; licenseId: string; licenseThreatGroupId: string; ownerId: string }>;
  labels: Array<{ id: string; label: string; labelLowercase: string; description: string; color: string; ownerId: string }>;
  tags: Array<{ id: string; name: string; nameLowercaseNoWhitespace: string; description: string; color: string; organizationId: string }>;
  policyTags: Array<{ id: string; policyId: string; tagId: string }>;
}

const EMPTY_NOTIFICATIONS = { userNotifications: [], roleNotifications: [], jiraNotifications: [], webhookNotifications: [] };

/**
 * An owner's policies in the reference's export format, with what they refer to: the license
 * threat groups their conditions name (and the owner's own groups), the application categories
 * they are limited to or test (and, for an organization, its own categories), and the component
 * labels their Label conditions name (and the owner's own labels). `includeInherited` adds the
 * policies of the organizations above, each keeping its ownerId, and their labels.
 */
export async function exportPolicies(ctx: AppContext, owner: Owner, includeInherited: boolean): Promise<PolicyExportResult> {
  const line = (await ownerLine(ctx.store, owner)).reverse();
  const policies = await policiesOfOwners(ctx, includeInherited ? line : [owner]);

  const groupIds = new Set<string>();
  const tagIds = new Set<string>();
  const labelIds = new Set<string>();
  for (const p of policies) {
    for (const t of p.tagIds) tagIds.add(t);
    for (const c of p.constraints) for (const d of c.conditions) {
      if (d.conditionTypeId === 'License Threat Group') groupIds.add(d.value);
      if (d.conditionTypeId === 'ApplicationCategory') tagIds.add(d.value);
      if (d.conditionTypeId === 'Label') labelIds.add(d.value);
    }
  }
  // The owner's labels (with includeInherited, those of every owner above too, as the reference
  // exports each level's definitions), and any label an exported policy names, so the import can
  // resolve every Label condition.
  const exportedOwners = new Set((includeInherited ? line : [owner]).map((o) => `${o.type}:${o.id}`));
  const labels = (await labelsVisibleTo(ctx, owner)).filter((l) => labelIds.has(l.id) || exportedOwners.has(`${l.ownerType}:${l.ownerId}`));
  const { byOwner } = await licenseThreatGroupsFor(ctx, owner);
  const groups = byOwner.flatMap((o) => o.licenseThreatGroups).filter((g) => groupIds.has(g.id) || (g.ownerType === owner.type && g.ownerId === owner.id));
  const groupLicenses = groups.length
    ? await ctx.store.db
        .selectFrom('license_threat_group_licenses')
        .select(['id', 'group_id', 'owner_id', 'license_id'])
        .where('group_id', 'in', groups.map((g) => g.id))
        .orderBy('group_id')
        .orderBy('license_id')
        .execute()
    : [];
  const categories = (await categoriesVisibleTo(ctx, owner)).filter((c) => tagIds.has(c.id) || (owner.type === 'organization' && c.organization_id === owner.id));

  return {
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      ownerId: p.ownerId,
      threatLevel: p.threatLevel,
      actions: p.actions,
      constraints: p.constraints.map((c) => ({
        id: c.id,
        name: c.name,
        operator: c.operator,
        conditions: c.conditions.map((d, i) => ({ conditionTypeId: d.conditionTypeId, operator: d.operator, value: d.value, conditionIndex: d.conditionIndex ?? i })),
      })),
      notifications: p.notifications ?? EMPTY_NOTIFICATIONS,
    })),
    licenseThreatGroups: groups.map((g) => ({ id: g.id, name: g.name, nameLowercaseNoWhitespace: g.nameLowercaseNoWhitespace, ownerId: g.ownerId, threatLevel: g.threatLevel })),
    licenseThreatGroupLicenses: groupLicenses.map((l) => ({ id: l.id, licenseId: l.license_id, licenseThreatGroupId: l.group_id, ownerId: l.owner_id })),
    labels: labels.map((l) => ({ id: l.id, label: l.label, labelLowercase: l.label.toLowerCase(), description: l.description, color: l.color, ownerId: l.ownerId })),
    tags: categories.map((c) => ({
      id: c.id,
      name: c.name,
      nameLowercaseNoWhitespace: nameKey(c.name),
      description: c.description,
      color: c.color,
      organizationId: c.organization_id,
    })),
    policyTags: policies.flatMap((p) => p.tagIds.map((tagId) => ({ id: policyTagId(p.id, tagId), policyId: p.id, tagId }))),
  };
}

export interface ImportResult {
  policies: Array<{ id: string; name: string; importedFrom?: string }>;
  licenseThreatGroups: { created: string[]; updated: string[]; reused: string[] };
  tags: { created: string[]; reused: string[] };
  labels: { created: string[]; reused: string[] };
  warnings: string[];
}

type GroupPlan = { action: 'reuse'; id: string; name: string } | { action: 'update' | 'create'; id: string; name: string; threatLevel: number; licenseIds: string[] };

/**
 * Imports a PolicyExportResult (from the reference product or another Tollgate) into an owner, all
 * or nothing, in one transaction: every policy gets a new id and the owner; license threat groups,
 * application categories and component labels are matched by name (the same group with the same
 * content is reused, a group the owner itself has under that name is updated, any other is created
 * on the owner; a category or label of that name the owner sees is reused, any other created) and
 * the conditions naming them get the ids they have here; every problem (unknown condition types,
 * bad values, names taken) is reported before anything is written.
 */
export async function importPolicies(ctx: AppContext, owner: Owner, data: PolicyExport): Promise<ImportResult> {
  const exported = data.policies ?? [];
  if (!exported.length) throw new ValidationError('The import holds no policies');
  const warnings: string[] = [];

  // Unknown condition types first: the most likely problem with an export from elsewhere.
  const unknown = new Map<string, Set<string>>();
  for (const p of exported) for (const c of p.constraints ?? []) for (const d of c.conditions ?? []) {
    const id = d.conditionTypeId ?? '';
    if (!conditionType(id)) unknown.set(id, (unknown.get(id) ?? new Set()).add(p.name ?? '?'));
  }
  if (unknown.size) {
    const list = [...unknown].map(([id, names]) => `"${id}" (in ${[...names].map((n) => `"${n}"`).join(', ')})`);
    throw new ValidationError(`Unknown condition types: ${list.join('; ')}. Remove or replace these conditions and import again.`);
  }

  // License threat groups, matched by name against what the owner sees.
  const { byOwner, effective } = await licenseThreatGroupsFor(ctx, owner);
  const effectiveByKey = new Map(effective.map((g) => [g.nameLowercaseNoWhitespace, g]));
  const ownGroups = new Map((byOwner.find((o) => !o.inherited)?.licenseThreatGroups ?? []).map((g) => [g.nameLowercaseNoWhitespace, g]));
  const licensesOf = new Map<string, string[]>();
  for (const l of data.licenseThreatGroupLicenses ?? []) {
    if (!l.licenseThreatGroupId || !l.licenseId) continue;
    const list = licensesOf.get(l.licenseThreatGroupId) ?? [];
    list.push(l.licenseId);
    licensesOf.set(l.licenseThreatGroupId, list);
  }
  const groupPlans = new Map<string, GroupPlan>();
  const problems: string[] = [];
  for (const g of data.licenseThreatGroups ?? []) {
    if (!g.id || !g.name?.trim()) {
      problems.push('Every license threat group needs an id and a name');
      continue;
    }
    const name = g.name.trim();
    const threatLevel = g.threatLevel ?? 0;
    if (!Number.isInteger(threatLevel) || threatLevel < 0 || threatLevel > 10) {
      problems.push(`License threat group "${name}": the threat level must be a whole number from 0 to 10`);
      continue;
    }
    let licenseIds: string[];
    try {
      licenseIds = [...new Set((licensesOf.get(g.id) ?? []).map(checkGroupLicenseId))].sort();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(`License threat group "${name}": ${err.message}`);
      continue;
    }
    const key = nameKey(name);
    const same = effectiveByKey.get(key);
    if (same && same.threatLevel === threatLevel && sameList([...same.licenseIds].sort(), licenseIds)) {
      groupPlans.set(g.id, { action: 'reuse', id: same.id, name: same.name });
    } else {
      const own = ownGroups.get(key);
      groupPlans.set(g.id, { action: own ? 'update' : 'create', id: own?.id ?? newId(), name, threatLevel, licenseIds });
    }
  }

  // Application categories (the reference's tags), matched by name among those the owner sees.
  const organizationId = owner.organizationId;
  const visibleCategories = await categoriesVisibleTo(ctx, owner);
  const categoryByKey = new Map(visibleCategories.map((c) => [nameKey(c.name), c]));
  type TagPlan = { action: 'reuse' | 'create'; id: string; name: string; description: string; color: string };
  const tagPlans = new Map<string, TagPlan>();
  // Two tags of one name in the import (an inherited export can hold such) become one category.
  const tagPlanByKey = new Map<string, TagPlan>();
  for (const t of data.tags ?? []) {
    if (!t.id || !t.name?.trim()) {
      problems.push('Every tag needs an id and a name');
      continue;
    }
    const key = nameKey(t.name);
    const existing = categoryByKey.get(key);
    let plan = tagPlanByKey.get(key);
    if (!plan && existing) plan = { action: 'reuse', id: existing.id, name: existing.name, description: existing.description, color: existing.color };
    if (!plan) {
      const color = (CATEGORY_COLORS as readonly string[]).includes(t.color ?? '') ? (t.color as string) : 'dark-blue';
      plan = { action: 'create', id: newId(), name: t.name.trim(), description: t.description ?? '', color };
    }
    tagPlanByKey.set(key, plan);
    tagPlans.set(t.id, plan);
  }
  // Component labels, matched by name (any case) among those the owner sees, its own before those
  // of the organizations above (the label a component label of that name applies); the others are
  // created on the owner, one per name. Label conditions then name the ids here.
  const labelByKey = new Map<string, { id: string; label: string }>();
  for (const l of await labelsVisibleTo(ctx, owner)) if (!labelByKey.has(l.label.toLowerCase())) labelByKey.set(l.label.toLowerCase(), l);
  type LabelPlan = { action: 'reuse'; id: string; name: string } | { action: 'create'; id: string; name: string; row: ReturnType<typeof newLabelRow> };
  const labelPlans = new Map<string, LabelPlan>();
  const labelPlanByKey = new Map<string, LabelPlan>();
  for (const l of data.labels ?? []) {
    const name = l.label?.trim();
    if (!l.id || !name) {
      problems.push('Every label needs an id and a label');
      continue;
    }
    const key = name.toLowerCase();
    const existing = labelByKey.get(key);
    let plan = labelPlanByKey.get(key);
    if (!plan && existing) plan = { action: 'reuse', id: existing.id, name: existing.label };
    if (!plan) {
      try {
        const color = (LABEL_COLORS as readonly string[]).includes(l.color ?? '') ? l.color : 'dark-blue';
        const row = newLabelRow(owner, { label: name, description: l.description ?? '', color });
        plan = { action: 'create', id: row.id, name, row };
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        problems.push(`Label "${name}": ${err.message}`);
        continue;
      }
    }
    labelPlanByKey.set(key, plan);
    labelPlans.set(l.id, plan);
  }

  // The context the imported policies compile in: the owner's, plus what this import creates.
  const base = await compileContextFor(ctx, owner);
  const context: CompileContext = {
    licenseThreatGroups: new Map([...(base.licenseThreatGroups ?? []), ...[...groupPlans.values()].map((g) => [g.id, { name: g.name }] as const)]),
    applicationCategories: new Map([...(base.applicationCategories ?? []), ...[...tagPlans.values()].map((t) => [t.id, { name: t.name }] as const)]),
    labels: new Map([...(base.labels ?? []), ...[...labelPlans.values()].map((l) => [l.id, { name: l.name }] as const)]),
  };
  const tagsOfPolicy = new Map<string, string[]>();
  for (const pt of data.policyTags ?? []) {
    if (!pt.policyId || !pt.tagId) continue;
    tagsOfPolicy.set(pt.policyId, [...(tagsOfPolicy.get(pt.policyId) ?? []), pt.tagId]);
  }
  // Ids the import does not define stay as they are: compiling checks that the owner can see them.
  const mapGroup = (id: string) => groupPlans.get(id)?.id ?? id;
  const mapTag = (id: string) => tagPlans.get(id)?.id ?? id;
  const mapLabel = (id: string) => labelPlans.get(id)?.id ?? id;

  const policies: Array<{ policy: Policy; importedFrom?: string }> = [];
  const names = new Set<string>();
  for (const p of exported) {
    const name = p.name?.trim() ?? '';
    if (names.has(name.toLowerCase())) problems.push(`The import holds two policies named "${name}"`);
    names.add(name.toLowerCase());
    const policy: Policy = {
      id: newId(),
      name,
      ownerType: owner.type,
      ownerId: owner.id,
      threatLevel: p.threatLevel ?? Number.NaN,
      actions: (p.actions ?? {}) as Record<string, ActionTypeId>,
      constraints: (p.constraints ?? []).map((c) => ({
        id: newId(),
        name: c.name ?? '',
        operator: (c.operator ?? 'AND') as 'AND' | 'OR',
        conditions: (c.conditions ?? []).map((d, i) => {
          const type = conditionType(d.conditionTypeId ?? '');
          const value = d.value ?? '';
          const mapped =
            type?.id === 'License Threat Group' ? mapGroup(value) : type?.id === 'ApplicationCategory' ? mapTag(value) : type?.id === 'Label' ? mapLabel(value) : value;
          return { conditionTypeId: d.conditionTypeId ?? '', operator: d.operator ?? '', value: mapped, conditionIndex: i };
        }),
      })),
      tagIds: [...new Set((tagsOfPolicy.get(p.id ?? '') ?? []).map(mapTag))],
    };
    const notifications = await checkNotifications(ctx.store.db, p.notifications, `Policy "${name}": `, { problems, warnings });
    if (notifications) policy.notifications = notifications;
    for (const t of policy.tagIds) if (!context.applicationCategories?.has(t)) problems.push(`Policy "${name}": tag "${t}" is not in the import nor visible here`);
    try {
      policies.push({ policy: compilePolicy(policy, context).policy, importedFrom: p.id });
    } catch (err) {
      if (!(err instanceof PolicyDefinitionError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length) throw new ValidationError(`The import was not applied: ${problems.join('; ')}`);

  const taken = await ctx.store.db
    .selectFrom('policies')
    .select('name')
    .where(ownedBy(owner))
    .where('name_key', 'in', [...names])
    .execute();
  if (taken.length) {
    throw new ConflictError(`This ${owner.type} already has policies named ${taken.map((t) => `"${t.name}"`).join(', ')}: rename or delete them first. Nothing was imported.`);
  }

  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const g of groupPlans.values()) {
      if (g.action === 'reuse') continue;
      if (g.action === 'create') {
        await trx
          .insertInto('license_threat_groups')
          .values({ id: g.id, owner_type: owner.type, owner_id: owner.id, name: g.name, name_key: nameKey(g.name), threat_level: g.threatLevel, created_at: now, updated_at: now })
          .execute();
      } else {
        await trx.updateTable('license_threat_groups').set({ name: g.name, threat_level: g.threatLevel, updated_at: now }).where('id', '=', g.id).execute();
        await trx.deleteFrom('license_threat_group_licenses').where('group_id', '=', g.id).execute();
      }
      const rows = g.licenseIds.map((licenseId) => ({ id: newId(), group_id: g.id, owner_id: owner.id, license_id: licenseId }));
      for (let i = 0; i < rows.length; i += 200) await trx.insertInto('license_threat_group_licenses').values(rows.slice(i, i + 200)).execute();
    }
    for (const t of tagPlanByKey.values()) {
      if (t.action === 'create') {
        await trx.insertInto('application_categories').values({ id: t.id, organization_id: organizationId, name: t.name, description: t.description, color: t.color }).execute();
      }
    }
    for (const l of labelPlanByKey.values()) if (l.action === 'create') await trx.insertInto('component_labels').values(l.row).execute();
    for (const { policy } of policies) await trx.insertInto('policies').values(policyRow(policy, now)).execute();
    await raiseImportEvents(trx, ctx, owner, organizationId, {
      groups: [...groupPlans.values()],
      tags: [...tagPlanByKey.values()],
      labels: [...labelPlanByKey.values()],
      policies: policies.map((p) => p.policy),
    });
  });

  const groups = [...groupPlans.values()];
  const tags = [...tagPlanByKey.values()];
  const labels = [...labelPlanByKey.values()];
  return {
    policies: policies.map(({ policy, importedFrom }) => ({ id: policy.id, name: policy.name, ...(importedFrom ? { importedFrom } : {}) })),
    licenseThreatGroups: {
      created: groups.filter((g) => g.action === 'create').map((g) => g.name),
      updated: groups.filter((g) => g.action === 'update').map((g) => g.name),
      reused: groups.filter((g) => g.action === 'reuse').map((g) => g.name),
    },
    tags: { created: tags.filter((t) => t.action === 'create').map((t) => t.name), reused: tags.filter((t) => t.action === 'reuse').map((t) => t.name) },
    labels: { created: labels.filter((l) => l.action === 'create').map((l) => l.name), reused: labels.filter((l) => l.action === 'reuse').map((l) => l.name) },
    warnings,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The `iq:policyManagement` events of an import: IQ's payload names one changed record (`type`,
 * `action`, `id`), so an import raises one event per record it created or changed — each license
 * threat group created or updated, category and label created, and policy created — as the same
 * changes made one by one would. Reused records changed nothing and raise nothing.
 */
async function raiseImportEvents(
  trx: Kysely<Database>,
  ctx: AppContext,
  owner: Owner,
  organizationId: string,
  made: {
    groups: GroupPlan[];
    tags: Array<{ action: string; id: string; name: string; description?: string; color?: string }>;
    labels: Array<{ action: string; id: string; name: string; row?: { description: string; color: string } }>;
    policies: Policy[];
  },
): Promise<void> {
  const on = payloadOwner(owner);
  for (const g of made.groups) {
    if (g.action === 'reuse') continue;
    await raisePolicyManagement(trx, ctx, {
      type: 'LICENSE_THREAT_GROUP',
      action: g.action === 'create' ? 'CREATE' : 'UPDATE',
      id: g.id,
      owner: on,
      item: { list: 'licenseThreatGroups', value: { id: g.id, name: g.name, threatLevel: g.threatLevel } },
    });
  }
  for (const t of made.tags) {
    if (t.action !== 'create') continue;
    await raisePolicyManagement(trx, ctx, {
      type: 'APPLICATION_CATEGORY',
      action: 'CREATE',
      id: t.id,
      owner: { type: 'organization', id: organizationId },
      item: { list: 'tags', value: { id: t.id, name: t.name, description: t.description, color: t.color, organizationId } },
    });
  }
  for (const l of made.labels) {
    if (l.action !== 'create' || !l.row) continue;
    await raisePolicyManagement(trx, ctx, {
      type: 'LABEL',
      action: 'CREATE',
      id: l.id,
      owner: on,
      item: { list: 'labels', value: { id: l.id, label: l.name, description: l.row.description, color: l.row.color, ownerId: owner.id, ownerType: owner.type } },
    });
  }
  for (const p of made.policies) {
    await raisePolicyManagement(trx, ctx, {
      type: 'POLICY',
      action: 'CREATE',
      id: p.id,
      owner: on,
      item: { list: 'policies', value: { id: p.id, name: p.name, threatLevel: p.threatLevel } },
    });
  }
}
