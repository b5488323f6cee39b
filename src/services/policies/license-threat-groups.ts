import { payloadOwner, raisePolicyManagement } from '../webhooks/management-events.js';
import spdxCorrect from 'spdx-correct';
import { type LicenseClassification, ThreatGroupIndex } from '../../intel/licenses/classify.js';
import { formatLeaf, type LicenseCorrection, LicenseExpressionError, type ParsedLicense, parseLicenseExpression } from '../../intel/licenses/expression.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { MAX_NAME_LENGTH } from '../owners/organizations.js';
import { ownerLine } from '../owners/owner-line.js';
import type { Owner, OwnerTypeRefusal } from '../owners/owner.js';
import { ownedBy } from '../owners/owner-filter.js';
import { unlessDuplicate } from '../../store/unique.js';

export interface LicenseThreatGroupView {
  id: string;
  name: string;
  nameLowercaseNoWhitespace: string;
  ownerId: string;
  ownerType: 'organization' | 'application';
  threatLevel: number;
  licenseIds: string[];
}

export interface LicenseThreatGroupsByOwner {
  ownerId: string;
  ownerName: string;
  ownerType: 'organization' | 'application';
  /** False for the owner asked about, true for the organizations above it. */
  inherited: boolean;
  licenseThreatGroups: LicenseThreatGroupView[];
}

export interface LicenseThreatGroupInput {
  name?: string;
  threatLevel?: number;
  licenseIds?: string[];
}

/** The reference's name normalization ("Weak Copyleft" and "weakcopyleft" are the same group). */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, '');
}

/** Groups are defined on organizations and applications (services/owners/). */
export const refuseThreatGroupOwnerType: OwnerTypeRefusal = (ownerType) =>
  new ValidationError(`License threat groups belong to organizations and applications, not to owner type "${ownerType}".`);

async function groupsOf(ctx: AppContext, owners: Owner[]): Promise<Map<string, LicenseThreatGroupView[]>> {
  const byOwner = new Map<string, LicenseThreatGroupView[]>(owners.map((o) => [`${o.type}:${o.id}`, []]));
  if (!owners.length) return byOwner;
  const groups = await ctx.store.db
    .selectFrom('license_threat_groups')
    .selectAll()
    .where(ownedBy(owners))
    .orderBy('threat_level', 'desc')
    .orderBy('name')
    .execute();
  const licenses = groups.length
    ? await ctx.store.db
        .selectFrom('license_threat_group_licenses')
        .select(['group_id', 'license_id'])
        .where('group_id', 'in', groups.map((g) => g.id))
        .orderBy('license_id')
        .execute()
    : [];
  const licensesByGroup = new Map<string, string[]>();
  for (const l of licenses) {
    const list = licensesByGroup.get(l.group_id) ?? [];
    list.push(l.license_id);
    licensesByGroup.set(l.group_id, list);
  }
  for (const g of groups) {
    byOwner.get(`${g.owner_type}:${g.owner_id}`)?.push({
      id: g.id,
      name: g.name,
      nameLowercaseNoWhitespace: g.name_key,
      ownerId: g.owner_id,
      ownerType: g.owner_type as Owner['type'],
      threatLevel: Number(g.threat_level),
      licenseIds: licensesByGroup.get(g.id) ?? [],
    });
  }
  return byOwner;
}

/**
 * The groups that apply to an owner: its own and those of every organization above it. A group
 * defined lower down replaces an inherited group of the same name (compared as the reference
 * compares names: case and whitespace ignored), so an organization can tighten or relax "Copyleft"
 * for its own part of the tree. (The reference refuses such same-named groups; Tollgate lets them
 * override instead, which is what editing inherited groups per organization needs.)
 */
export async function licenseThreatGroupsFor(
  ctx: AppContext,
  owner: Owner,
): Promise<{ byOwner: LicenseThreatGroupsByOwner[]; effective: LicenseThreatGroupView[] }> {
  const line = await ownerLine(ctx.store, owner);
  const groups = await groupsOf(ctx, line);
  const effective = new Map<string, LicenseThreatGroupView>();
  // From the root down, so a group lower down replaces the inherited one of its name.
  for (const o of [...line].reverse()) for (const g of groups.get(`${o.type}:${o.id}`) ?? []) effective.set(g.nameLowercaseNoWhitespace, g);
  const byOwner = line.map((o) => ({
    ownerId: o.id,
    ownerName: o.name,
    ownerType: o.type,
    inherited: !(o.type === owner.type && o.id === owner.id),
    licenseThreatGroups: groups.get(`${o.type}:${o.id}`) ?? [],
  }));
  const sorted = [...effective.values()].sort((a, b) => b.threatLevel - a.threatLevel || a.name.localeCompare(b.name));
  return { byOwner, effective: sorted };
}

/**
 * A license id as a group holds it: one license, optionally with `+` or `WITH exception`, in
 * canonical spelling. Case slips are fixed quietly; anything else is refused with a suggestion.
 */
export function checkGroupLicenseId(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw new ValidationError('licenseIds must hold non-empty license ids.');
  const text = raw.trim();
  let parsed: ParsedLicense;
  try {
    parsed = parseLicenseExpression(text);
  } catch (err) {
    if (!(err instanceof LicenseExpressionError)) throw err;
    throw new ValidationError(`"${text}" is not an SPDX license id, LicenseRef-… or special license id.`);
  }
  if ('conjunction' in parsed.expression) {
    throw new ValidationError(`"${text}" is an expression; a license threat group holds single licenses (add each one).`);
  }
  const substantive = parsed.corrections.filter((c: LicenseCorrection) => c.from.toLowerCase() !== c.to.toLowerCase());
  if (substantive.length) {
    const suggestion = spdxCorrect(text) ?? parsed.normalized;
    throw new ValidationError(`"${text}" is not a license id; did you mean "${suggestion}"?`);
  }
  return formatLeaf(parsed.expression);
}

function checkInput(input: LicenseThreatGroupInput, existing?: LicenseThreatGroupView): { name: string; threatLevel: number; licenseIds: string[] } {
  const name = (input.name ?? existing?.name)?.trim();
  if (!name) throw new ValidationError('License threat group name is required');
  if (name.length > MAX_NAME_LENGTH) throw new ValidationError(`License threat group name must be at most ${MAX_NAME_LENGTH} characters long`);
  const threatLevel = input.threatLevel ?? existing?.threatLevel;
  if (threatLevel === undefined) throw new ValidationError('threatLevel is required (a whole number from 0 to 10)');
  if (!Number.isInteger(threatLevel) || threatLevel < 0 || threatLevel > 10) {
    throw new ValidationError(`The threat level must be a whole number from 0 to 10, not ${threatLevel}`);
  }
  const licenseIds = [...new Set((input.licenseIds ?? existing?.licenseIds ?? []).map(checkGroupLicenseId))].sort();
  return { name, threatLevel, licenseIds };
}

async function findGroup(ctx: AppContext, owner: Owner, groupId: string): Promise<LicenseThreatGroupView> {
  const group = (await groupsOf(ctx, [owner])).get(`${owner.type}:${owner.id}`)?.find((g) => g.id === groupId);
  if (!group) throw new NotFoundError(`License threat group ${groupId} not found on ${owner.type} ${owner.id}`);
  return group;
}

async function assertNameFree(ctx: AppContext, owner: Owner, name: string, exceptId?: string): Promise<void> {
  const clash = await ctx.store.db
    .selectFrom('license_threat_groups')
    .select('id')
    .where(ownedBy(owner))
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
  if (clash && clash.id !== exceptId) throw new ConflictError(groupNameTaken(owner, name));
}

const groupNameTaken = (owner: Owner, name: string) => `A license threat group named "${name}" already exists on this ${owner.type}`;

export async function createLicenseThreatGroup(ctx: AppContext, owner: Owner, input: LicenseThreatGroupInput): Promise<LicenseThreatGroupView> {
  const checked = checkInput(input);
  await assertNameFree(ctx, owner, checked.name);
  const id = newId();
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await unlessDuplicate(
      trx
        .insertInto('license_threat_groups')
        .values({
          id,
          owner_type: owner.type,
          owner_id: owner.id,
          name: checked.name,
          name_key: nameKey(checked.name),
          threat_level: checked.threatLevel,
          created_at: now,
          updated_at: now,
        })
        .execute(),
      groupNameTaken(owner, checked.name),
    );
    if (checked.licenseIds.length) {
      await trx
        .insertInto('license_threat_group_licenses')
        .values(checked.licenseIds.map((licenseId) => ({ id: newId(), group_id: id, owner_id: owner.id, license_id: licenseId })))
        .execute();
    }
    await raisePolicyManagement(trx, ctx, {
      type: 'LICENSE_THREAT_GROUP',
      action: 'CREATE',
      id: id,
      owner: payloadOwner(owner),
      item: { list: 'licenseThreatGroups', value: { id, name: checked.name, threatLevel: checked.threatLevel } },
    });
  });
  return findGroup(ctx, owner, id);
}

/** Replaces what the input names (name, threat level, the whole license list); keeps the rest. */
export async function updateLicenseThreatGroup(
  ctx: AppContext,
  owner: Owner,
  groupId: string,
  input: LicenseThreatGroupInput,
): Promise<LicenseThreatGroupView> {
  const existing = await findGroup(ctx, owner, groupId);
  const checked = checkInput(input, existing);
  await assertNameFree(ctx, owner, checked.name, groupId);
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await unlessDuplicate(
      trx
        .updateTable('license_threat_groups')
        .set({ name: checked.name, name_key: nameKey(checked.name), threat_level: checked.threatLevel, updated_at: now })
        .where('id', '=', groupId)
        .execute(),
      groupNameTaken(owner, checked.name),
    );
    if (input.licenseIds !== undefined) {
      await trx.deleteFrom('license_threat_group_licenses').where('group_id', '=', groupId).execute();
      if (checked.licenseIds.length) {
        await trx
          .insertInto('license_threat_group_licenses')
          .values(checked.licenseIds.map((licenseId) => ({ id: newId(), group_id: groupId, owner_id: owner.id, license_id: licenseId })))
          .execute();
      }
    }
    await raisePolicyManagement(trx, ctx, {
      type: 'LICENSE_THREAT_GROUP',
      action: 'UPDATE',
      id: groupId,
      owner: payloadOwner(owner),
      item: { list: 'licenseThreatGroups', value: { id: groupId, name: checked.name, threatLevel: checked.threatLevel } },
    });
  });
  return findGroup(ctx, owner, groupId);
}

export async function deleteLicenseThreatGroup(ctx: AppContext, owner: Owner, groupId: string): Promise<void> {
  const group = await findGroup(ctx, owner, groupId);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('license_threat_group_licenses').where('group_id', '=', groupId).execute();
    await trx.deleteFrom('license_threat_groups').where('id', '=', groupId).execute();
    await raisePolicyManagement(trx, ctx, {
      type: 'LICENSE_THREAT_GROUP',
      action: 'DELETE',
      id: groupId,
      owner: payloadOwner(owner),
      item: { list: 'licenseThreatGroups', value: { id: groupId, name: group.name, threatLevel: group.threatLevel } },
    });
  });
}

/** The index to classify licenses with for an owner: build once, use for every component. */
export async function licenseThreatIndexFor(ctx: AppContext, owner: Owner): Promise<ThreatGroupIndex> {
  return new ThreatGroupIndex((await licenseThreatGroupsFor(ctx, owner)).effective);
}

/** Classifies a written license expression with an owner's effective groups. */
export async function classifyLicenseFor(
  ctx: AppContext,
  owner: Owner,
  license: string,
): Promise<LicenseClassification & { parsed: ParsedLicense }> {
  const index = await licenseThreatIndexFor(ctx, owner);
  try {
    return index.classifyText(license);
  } catch (err) {
    if (err instanceof LicenseExpressionError) throw new ValidationError(err.message);
    throw err;
  }
}
