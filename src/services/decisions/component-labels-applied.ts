import { parseComponentHash } from '../../ecosystems/identity.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { AppliedLabel } from '../../policy/applied-labels.js';
import { ownerColumns } from '../owners/owner-columns.js';
import { type Owner, resolveOwner } from '../owners/owner.js';
import { ownerLine } from '../owners/owner-line.js';
import { ownedBy, ownsRow } from '../owners/owner-filter.js';

/**
 * Component labels applied to components: within an organization or application, a component (by
 * hash) carries a label defined there or above (services/policies/component-labels.ts). Deleting the label,
 * or the owner, takes it off the components (foreign keys with ON DELETE CASCADE).
 */

/** The label of that name (case-insensitive) applicable at the owner: the nearest owner's. */
async function applicableLabel(ctx: AppContext, owner: Owner, labelName: string): Promise<{ id: string; label: string }> {
  const key = labelName.trim().toLowerCase();
  if (!key) throw new ValidationError('labelName is required');
  const owners = await ownerLine(ctx.store, owner);
  const rows = await ctx.store.db
    .selectFrom('component_labels')
    .select(['id', 'label', 'owner_type', 'owner_id'])
    .where('label_key', '=', key)
    .where(ownedBy(owners))
    .execute();
  for (const o of owners) {
    const row = rows.find((r) => ownsRow(o, r));
    if (row) return row;
  }
  throw new NotFoundError(`No label "${labelName}" is applicable to ${owner.type} ${owner.id}: define it there or on an organization above it`);
}

/** Applies a label to a component within an owner (again: no change). */
export async function applyComponentLabel(
  ctx: AppContext,
  owner: Owner,
  componentHash: string,
  labelName: string,
  actor: { username: string },
): Promise<void> {
  const hash = parseComponentHash(componentHash);
  const label = await applicableLabel(ctx, owner, labelName);
  await ctx.store.db
    .insertInto('component_label_assignments')
    .values({ label_id: label.id, component_hash: hash, ...ownerColumns(owner), assigned_by: actor.username, assigned_at: ctx.now().toISOString() })
    .onConflict((oc) => oc.columns(['label_id', 'component_hash', 'owner_type', 'owner_id']).doNothing())
    .execute();
}

/** Takes a label off a component within an owner; 404 when it was not applied there. */
export async function removeComponentLabel(ctx: AppContext, owner: Owner, componentHash: string, labelName: string): Promise<void> {
  const hash = parseComponentHash(componentHash);
  const label = await applicableLabel(ctx, owner, labelName);
  const result = await ctx.store.db
    .deleteFrom('component_label_assignments')
    .where('label_id', '=', label.id)
    .where('component_hash', '=', hash)
    .where(ownedBy(owner))
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new NotFoundError(`Label "${label.label}" is not applied to component ${hash} on ${owner.type} ${owner.id}`);
  }
}

/**
 * The labels on components as an application sees them (for evaluation's label conditions):
 * applied within the application or within any organization above it, by component hash.
 */
export async function componentLabelsFor(ctx: AppContext, applicationId: string): Promise<Map<string, AppliedLabel[]>> {
  return componentLabelsAt(ctx, await resolveOwner(ctx.store, 'application', applicationId));
}

/** The labels on components as an organization or application sees them: its own and its organizations'. */
export async function componentLabelsAt(ctx: AppContext, owner: Owner): Promise<Map<string, AppliedLabel[]>> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await ctx.store.db
    .selectFrom('component_label_assignments as a')
    .innerJoin('component_labels as l', 'l.id', 'a.label_id')
    .select(['a.component_hash', 'a.owner_type', 'a.owner_id', 'l.id', 'l.label', 'l.description', 'l.color'])
    .where(ownedBy(owners, 'a'))
    .orderBy('l.label_key')
    .execute();
  const byHash = new Map<string, AppliedLabel[]>();
  for (const r of rows) {
    const list = byHash.get(r.component_hash) ?? [];
    if (!list.some((l) => l.labelId === r.id)) {
      list.push({ labelId: r.id, label: r.label, description: r.description, color: r.color, owner: { type: r.owner_type as AppliedLabel['owner']['type'], id: r.owner_id } });
    }
    byHash.set(r.component_hash, list);
  }
  return byHash;
}
