import { payloadOwner, raisePolicyManagement } from '../webhooks/management-events.js';
import type { ComponentLabelTable } from '../../store/tables/hierarchy.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { ownerColumns } from '../owners/owner-columns.js';
import { ownerLine } from '../owners/owner-line.js';
import type { Owner, OwnerTypeRefusal } from '../owners/owner.js';
import { ownedBy, ownsRow } from '../owners/owner-filter.js';
import { unlessDuplicate } from '../../store/unique.js';

/**
 * Component labels: a label, a description and a color, defined on an organization or an
 * application and applicable to components of every application at or below it. Deleting a label
 * takes it off components too (the assignments cascade).
 */

export const LABEL_COLORS = [
  'light-red', 'light-green', 'light-blue', 'light-purple', 'dark-red', 'dark-green', 'dark-blue', 'dark-purple', 'orange', 'yellow',
] as const;

export const MAX_LABEL_LENGTH = 64;
export const MAX_LABEL_DESCRIPTION_LENGTH = 1000;

export interface LabelView {
  id: string;
  label: string;
  description: string;
  color: string;
  ownerId: string;
  ownerType: string;
}

export interface LabelInput {
  id?: string;
  label?: string;
  description?: string;
  color?: string;
}

export interface LabelsByOwner {
  ownerId: string;
  ownerName: string;
  ownerType: 'organization' | 'application';
  labels: LabelView[];
}

export interface ApplicableContext {
  id: string;
  name: string;
  type: 'organization' | 'application';
  children: ApplicableContext[];
}

function toView(row: ComponentLabelTable): LabelView {
  return { id: row.id, label: row.label, description: row.description, color: row.color, ownerId: row.owner_id, ownerType: row.owner_type };
}

/** Label paths name repositories too; Tollgate has none (those belong to the Firewall), so 404 for them. */
export const refuseLabelOwnerType: OwnerTypeRefusal = (type, id) =>
  new NotFoundError(`No ${type} ${id}: Tollgate has no repositories (they belong to Nexus Repository Firewall), so they have no labels`);

async function labelsOf(ctx: AppContext, owners: Array<{ type: string; id: string }>): Promise<ComponentLabelTable[]> {
  if (owners.length === 0) return [];
  return ctx.store.db
    .selectFrom('component_labels')
    .selectAll()
    .where(ownedBy(owners))
    .orderBy('label_key')
    .execute();
}

/** The owner's own labels, and with `inherit` those of the organizations above it (nearest first). */
export async function listLabels(ctx: AppContext, owner: Owner, inherit: boolean): Promise<LabelView[]> {
  const owners = inherit ? await ownerLine(ctx.store, owner) : [owner];
  const rows = await labelsOf(ctx, owners);
  return owners.flatMap((o) => rows.filter((r) => ownsRow(o, r)).map(toView));
}

/** Every label applicable at the owner, grouped by the owner defining it: the owner first, the root last. */
export async function applicableLabels(ctx: AppContext, owner: Owner): Promise<LabelsByOwner[]> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await labelsOf(ctx, owners);
  return owners.map((o) => ({
    ownerId: o.id,
    ownerName: o.name,
    ownerType: o.type,
    labels: rows.filter((r) => ownsRow(o, r)).map(toView),
  }));
}

function checkInput(input: LabelInput): { label: string; label_key: string; description: string; color: string } {
  const label = input.label?.trim();
  if (!label) throw new ValidationError('label is required');
  if (label.length > MAX_LABEL_LENGTH) throw new ValidationError(`label must be at most ${MAX_LABEL_LENGTH} characters long`);
  const description = input.description ?? '';
  if (description.length > MAX_LABEL_DESCRIPTION_LENGTH) {
    throw new ValidationError(`description must be at most ${MAX_LABEL_DESCRIPTION_LENGTH} characters long`);
  }
  if (!input.color) throw new ValidationError('color is required');
  if (!(LABEL_COLORS as readonly string[]).includes(input.color)) {
    throw new ValidationError(`color "${input.color}" is not one of ${LABEL_COLORS.join(', ')}`);
  }
  return { label, label_key: label.toLowerCase(), description, color: input.color };
}

/** A new label row for an owner, its input checked (creating labels and importing policies share it). */
export function newLabelRow(owner: Pick<Owner, 'type' | 'id'>, input: LabelInput): ComponentLabelTable {
  return {
    id: newId(),
    ...ownerColumns(owner),
    ...checkInput(input),
  };
}

const labelTaken = (owner: Owner, label: string) => `The ${owner.type} already has a label "${label}"`;

export async function createLabel(ctx: AppContext, owner: Owner, input: LabelInput): Promise<LabelView> {
  if (input.id) throw new ValidationError('id must not be given when creating a label: Tollgate assigns it');
  const row = newLabelRow(owner, input);
  await ctx.store.db.transaction().execute(async (trx) => {
    const same = await trx
      .selectFrom('component_labels')
      .select('label')
      .where(ownedBy(owner))
      .where('label_key', '=', row.label_key)
      .executeTakeFirst();
    if (same) throw new ConflictError(labelTaken(owner, same.label));
    await unlessDuplicate(trx.insertInto('component_labels').values(row).execute(), labelTaken(owner, row.label));
    await raisePolicyManagement(trx, ctx, { type: 'LABEL', action: 'CREATE', id: row.id, owner: payloadOwner(owner), item: { list: 'labels', value: toView(row) } });
  });
  return toView(row);
}

export async function updateLabel(ctx: AppContext, owner: Owner, input: LabelInput): Promise<LabelView> {
  if (!input.id) throw new ValidationError('id of the label to update is required');
  const id = input.id;
  const changes = checkInput(input);
  let updated: ComponentLabelTable | undefined;
  await ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('component_labels')
      .selectAll()
      .where('id', '=', id)
      .where(ownedBy(owner))
      .executeTakeFirst();
    if (!existing) throw new NotFoundError(`Label ${id} not found on ${owner.type} ${owner.id}`);
    const same = await trx
      .selectFrom('component_labels')
      .select('label')
      .where(ownedBy(owner))
      .where('label_key', '=', changes.label_key)
      .where('id', '<>', id)
      .executeTakeFirst();
    if (same) throw new ConflictError(labelTaken(owner, same.label));
    await unlessDuplicate(trx.updateTable('component_labels').set(changes).where('id', '=', id).execute(), labelTaken(owner, changes.label));
    updated = { ...existing, ...changes };
    await raisePolicyManagement(trx, ctx, { type: 'LABEL', action: 'UPDATE', id: id, owner: payloadOwner(owner), item: { list: 'labels', value: toView(updated) } });
  });
  return toView(updated!);
}

export async function deleteLabel(ctx: AppContext, owner: Owner, labelId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('component_labels').selectAll().where('id', '=', labelId).where(ownedBy(owner)).executeTakeFirst();
    if (!existing) throw new NotFoundError(`Label ${labelId} not found on ${owner.type} ${owner.id}`);
    await trx.deleteFrom('component_labels').where('id', '=', labelId).execute();
    await raisePolicyManagement(trx, ctx, { type: 'LABEL', action: 'DELETE', id: labelId, owner: payloadOwner(owner), item: { list: 'labels', value: toView(existing) } });
  });
}

/**
 * Where a label can be applied, as a tree rooted at `owner`: the owner, and below an organization its
 * child organizations and applications at every depth. The label must be applicable at the owner.
 */
export async function applicableContext(ctx: AppContext, owner: Owner, labelId: string): Promise<ApplicableContext> {
  const owners = await ownerLine(ctx.store, owner);
  const label = await ctx.store.db.selectFrom('component_labels').select(['owner_type', 'owner_id']).where('id', '=', labelId).executeTakeFirst();
  if (!label || !owners.some((o) => o.type === label.owner_type && o.id === label.owner_id)) {
    throw new NotFoundError(`Label ${labelId} is not applicable to ${owner.type} ${owner.id}`);
  }
  if (owner.type === 'application') return { id: owner.id, name: owner.name, type: 'application', children: [] };
  const [orgs, apps] = await Promise.all([
    ctx.store.db.selectFrom('organizations').select(['id', 'name', 'parent_id']).orderBy('name').execute(),
    ctx.store.db.selectFrom('applications').select(['id', 'name', 'organization_id']).orderBy('name').execute(),
  ]);
  const childOrgs = groupBy(orgs, (o) => o.parent_id ?? '');
  const childApps = groupBy(apps, (a) => a.organization_id);
  const build = (id: string, name: string): ApplicableContext => ({
    id,
    name,
    type: 'organization',
    children: [
      ...(childOrgs.get(id) ?? []).map((o) => build(o.id, o.name)),
      ...(childApps.get(id) ?? []).map((a) => ({ id: a.id, name: a.name, type: 'application' as const, children: [] })),
    ],
  });
  return build(owner.id, owner.name);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(key(item)) ?? [];
    list.push(item);
    map.set(key(item), list);
  }
  return map;
}
