import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ManagementAction } from '../webhooks/event-types.js';
import { raiseEvent } from '../webhooks/raise.js';
import { type ComponentIdentifier, type ResolvedComponent, resolveComponent } from '../../ecosystems/identity.js';
import { LicenseExpressionError, parseLicenseExpression } from '../../intel/licenses/expression.js';
import { LICENSE_STATUSES, type LicenseStatus } from '../../intel/licenses/license-data.js';
import type { LicenseOverrideTable } from '../../store/tables/component-overrides.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { appliedAlong, componentColumns, parseIdentifierColumn, deleteOwnedRow } from './owned-components.js';
import { ownerColumns } from '../owners/owner-columns.js';
import { type Owner, resolveOwner } from '../owners/owner.js';
import { ownerLine } from '../owners/owner-line.js';
import { LicenseOverrideIndex, sameComponent } from '../../policy/component-overrides.js';
import { ownedBy, ownsRow } from '../owners/owner-filter.js';
import { retryOnDuplicate } from '../../store/unique.js';

/**
 * License overrides: what a person decided about a component's licenses, on an organization or an
 * application, inherited down the tree with the nearest owner's decision winning. Statuses follow
 * the reference: OVERRIDDEN (these licenses replace what was found), SELECTED (these of the licenses
 * found apply), CONFIRMED / ACKNOWLEDGED (what was found is right / has been seen), OPEN (no
 * decision: stored below an inherited override, it puts the component back to open there).
 */

export const MAX_OVERRIDE_COMMENT_LENGTH = 2000;
const NEEDS_LICENSES: ReadonlySet<string> = new Set<LicenseStatus>(['OVERRIDDEN', 'SELECTED']);

/** The reference's LicenseOverride / ApiLicenseOverrideDTO. */
export interface LicenseOverrideView {
  id: string;
  ownerId: string;
  componentIdentifier?: ComponentIdentifier;
  status: LicenseStatus;
  licenseIds: string[];
  comment?: string;
}

export interface LicenseOverrideInput {
  id?: string;
  ownerId?: string;
  comment?: string;
  licenseIds?: string[];
  componentIdentifier?: ComponentIdentifier;
  status?: string;
  /** Tollgate: the component by package URL or by hash, where no componentIdentifier is given. */
  packageUrl?: string;
  hash?: string;
}

/** An override with the owner that made it, as the reference lists applied overrides. */
export interface LicenseOverrideByOwner {
  licenseOverride: LicenseOverrideView;
  ownerId: string;
  ownerName: string;
  ownerType: 'organization' | 'application';
}

/**
 * A license of an override in canonical spelling: an SPDX id or expression, LicenseRef-…, or a
 * special id. Case slips are fixed quietly; anything the licenses module has to guess at is refused
 * with its guess as the suggestion.
 */
export function checkOverrideLicenseId(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw new ValidationError('licenseIds must hold non-empty license ids');
  const text = raw.trim();
  let parsed: ReturnType<typeof parseLicenseExpression>;
  try {
    parsed = parseLicenseExpression(text);
  } catch (err) {
    if (!(err instanceof LicenseExpressionError)) throw err;
    throw new ValidationError(`"${text}" is not a known license: use an SPDX license id or expression, LicenseRef-…, or a special id such as Not-Declared`);
  }
  const guessed = parsed.corrections.some((c) => c.from.toLowerCase() !== c.to.toLowerCase());
  if (guessed) throw new ValidationError(`"${text}" is not a license id; did you mean "${parsed.normalized}"?`);
  return parsed.normalized;
}

function checkStatus(status: string | undefined): LicenseStatus {
  if (!status) throw new ValidationError(`status is required: one of ${LICENSE_STATUSES.join(', ')}`);
  const upper = status.trim().toUpperCase() as LicenseStatus;
  if (!LICENSE_STATUSES.includes(upper)) throw new ValidationError(`status "${status}" is not one of ${LICENSE_STATUSES.join(', ')}`);
  return upper;
}

/** The component a request names: componentIdentifier, packageUrl or hash (any that are given must agree). */
export function checkOverrideComponent(reference: { componentIdentifier?: ComponentIdentifier | null; packageUrl?: string | null; hash?: string | null }): ResolvedComponent {
  if (reference.componentIdentifier == null && !reference.packageUrl?.trim() && !reference.hash?.trim()) {
    throw new ValidationError('componentIdentifier is required: the component the override is about ({"format": …, "coordinates": {…}})');
  }
  return resolveComponent(reference);
}

function toView(row: LicenseOverrideTable): LicenseOverrideView {
  const identifier = parseIdentifierColumn(row.component_identifier);
  return {
    id: row.id,
    ownerId: row.owner_id,
    ...(identifier ? { componentIdentifier: identifier } : {}),
    status: row.status as LicenseStatus,
    licenseIds: JSON.parse(row.license_ids) as string[],
    ...(row.comment !== null ? { comment: row.comment } : {}),
  };
}

async function overridesOf(ctx: AppContext, owners: Owner[]): Promise<LicenseOverrideTable[]> {
  if (owners.length === 0) return [];
  return ctx.store.db
    .selectFrom('license_overrides')
    .selectAll()
    .where(ownedBy(owners))
    .orderBy('component_key')
    .execute();
}

const stored = (row: LicenseOverrideTable) => ({ hash: row.component_hash, packageUrl: row.package_url });

/**
 * The overrides that apply at an owner, nearest owner first: for one component when `component` is
 * given (the first entry is the one in effect), else for every component.
 */
export async function appliedLicenseOverrides(ctx: AppContext, owner: Owner, component?: ResolvedComponent): Promise<LicenseOverrideByOwner[]> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await overridesOf(ctx, owners);
  return owners.flatMap((o) =>
    rows
      .filter((r) => ownsRow(o, r) && (!component || sameComponent(stored(r), component)))
      .map((r) => ({ licenseOverride: toView(r), ownerId: o.id, ownerName: o.name, ownerType: o.type })),
  );
}

/**
 * Adds or changes an owner's override of a component: the one named by `input.id`, else the owner's
 * override of the same component, else a new one.
 */
export async function saveLicenseOverride(ctx: AppContext, owner: Owner, input: LicenseOverrideInput, actor: { username: string }): Promise<LicenseOverrideView> {
  if (input.ownerId !== undefined && input.ownerId !== owner.id) {
    throw new ValidationError(`ownerId ${input.ownerId} in the body differs from the ${owner.type} ${owner.id} of the path`);
  }
  const component = checkOverrideComponent(input);
  const status = checkStatus(input.status);
  const licenseIds = [...new Set((input.licenseIds ?? []).map(checkOverrideLicenseId))];
  if (NEEDS_LICENSES.has(status) && licenseIds.length === 0) {
    throw new ValidationError(`status ${status} needs licenseIds: the licenses that apply to the component`);
  }
  if (input.comment !== undefined && input.comment.length > MAX_OVERRIDE_COMMENT_LENGTH) {
    throw new ValidationError(`comment must be at most ${MAX_OVERRIDE_COMMENT_LENGTH} characters long`);
  }
  const now = ctx.now().toISOString();
  const columns = componentColumns(component);
  const values = { ...columns, status, license_ids: JSON.stringify(licenseIds), comment: input.comment ?? null, updated_by: actor.username, updated_at: now };
  let saved: LicenseOverrideTable | undefined;
  const save = () => ctx.store.db.transaction().execute(async (trx) => {
    const mine = trx.selectFrom('license_overrides').selectAll().where(ownedBy(owner));
    const sameKey = await mine.where('component_key', '=', columns.component_key).executeTakeFirst();
    let existing = sameKey;
    if (input.id) {
      existing = await mine.where('id', '=', input.id).executeTakeFirst();
      if (!existing) throw new NotFoundError(`License override ${input.id} not found on ${owner.type} ${owner.id}`);
      if (sameKey && sameKey.id !== existing.id) {
        throw new ConflictError(`The ${owner.type} already has license override ${sameKey.id} for this component`);
      }
    }
    if (existing) {
      await trx.updateTable('license_overrides').set(values).where('id', '=', existing.id).execute();
      saved = { ...existing, ...values };
    } else {
      saved = { id: newId(), ...ownerColumns(owner), ...values, created_at: now };
      await trx.insertInto('license_overrides').values(saved).execute();
    }
    await raiseLicenseOverride(trx, ctx, saved, existing ? 'UPDATE' : 'CREATE');
  });
  // A concurrent save may insert the same row first: run again, this one then finds that row.
  await retryOnDuplicate(save);
  return toView(saved!);
}

export async function deleteLicenseOverride(ctx: AppContext, owner: Owner, id: string): Promise<void> {
  await deleteOwnedRow(ctx, 'license_overrides', owner, id, 'License override', (trx, row) => raiseLicenseOverride(trx, ctx, row, 'DELETE'));
}

/** `iq:licenseOverrideManagement`, IQ's payload: `action` and the override (`licenseOverride`). */
function raiseLicenseOverride(trx: Kysely<Database>, ctx: AppContext, row: LicenseOverrideTable, action: ManagementAction): Promise<void> {
  return raiseEvent(trx, ctx, 'iq:licenseOverrideManagement', () => ({ id: row.id, payload: { action, licenseOverride: toView(row) } }));
}

/** The license overrides applying to an application: own and inherited from its organizations, nearest first. */
export async function licenseOverridesFor(ctx: AppContext, applicationId: string): Promise<LicenseOverrideIndex> {
  return licenseOverridesAt(ctx, await resolveOwner(ctx.store, 'application', applicationId));
}

/** The license overrides applying at an organization or application: own and inherited, nearest first. */
export async function licenseOverridesAt(ctx: AppContext, owner: Owner): Promise<LicenseOverrideIndex> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await overridesOf(ctx, owners);
  return new LicenseOverrideIndex(
    appliedAlong(owners, rows, (r) => ({ status: r.status as LicenseStatus, licenseIds: JSON.parse(r.license_ids) as string[] })),
  );
}
