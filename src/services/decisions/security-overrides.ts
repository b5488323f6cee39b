import { issueSource } from '../../intel/vulnerability-sources.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ManagementAction } from '../webhooks/event-types.js';
import { raiseEvent } from '../webhooks/raise.js';
import {
  type ComponentIdentifier,
  type ResolvedComponent,
  canonicalPackageUrl,
  coordinateHash,
  resolveComponent,
} from '../../ecosystems/identity.js';
import type { SecurityOverrideTable } from '../../store/tables/component-overrides.js';
import type { Principal } from '../access/access.js';
import { requirePermission, visibleOwners } from '../access/access.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { appliedAlong, componentColumns, deleteOwnedRow } from './owned-components.js';
import { ownerColumns } from '../owners/owner-columns.js';
import { type Owner, resolveOwner } from '../owners/owner.js';
import { ownerLine } from '../owners/owner-line.js';
import { SecurityOverrideIndex, SECURITY_STATUSES, type SecurityStatus } from '../../policy/component-overrides.js';
import { ownedBy } from '../owners/owner-filter.js';
import { retryOnDuplicate } from '../../store/unique.js';

/**
 * Security vulnerability overrides: the status a person gave a vulnerability (by its reference id)
 * for one component, or for every component, on an organization or application — inherited down
 * the tree, the nearest owner's winning. Statuses are the reference product's: OPEN, ACKNOWLEDGED,
 * NOT_APPLICABLE, CONFIRMED. Evaluation treats NOT_APPLICABLE as "this vulnerability does not count
 * here"; OPEN stored below an inherited override puts the vulnerability back to open there.
 */

export const MAX_SECURITY_COMMENT_LENGTH = 2000;
const MAX_REFERENCE_ID_LENGTH = 100;
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** component_key of an override that holds for every component of its owner. */
const EVERY_COMPONENT = '*';

/** The reference's ApiSecurityVulnerabilityOverrideDTOV2. */
export interface SecurityOverrideView {
  securityOverrideId: string;
  referenceId: string;
  hash?: string;
  status: SecurityStatus;
  comment?: string;
  owner: { ownerId: string; ownerName: string; ownerPublicId?: string; ownerType: string };
  /** Components of the newest reports that carry the vulnerability (security-override-impact.ts). */
  currentlyAffectedComponents: unknown[];
}

export interface SecurityOverrideInput {
  referenceId?: string;
  status?: string;
  comment?: string;
  /** The component: any of these (given together they must agree); none for every component. */
  hash?: string;
  packageUrl?: string;
  componentIdentifier?: ComponentIdentifier;
}

export interface SecurityOverrideFilter {
  refId?: string;
  componentPurl?: string;
  ownerId?: string;
}

/** A vulnerability reference id in its usual spelling (CVE-…, GHSA-… with a lower-case body, sonatype-…). */
export function checkReferenceId(raw: string | undefined): string {
  const text = raw?.trim() ?? '';
  if (!text) throw new ValidationError('referenceId is required: the vulnerability, e.g. CVE-2021-44228 or sonatype-2021-4682');
  if (text.length > MAX_REFERENCE_ID_LENGTH || !REFERENCE_ID.test(text)) {
    throw new ValidationError(`"${text}" is not a vulnerability reference id such as CVE-2021-44228, GHSA-jfh8-c2jp-5v3q or sonatype-2021-4682`);
  }
  const [prefix, ...rest] = text.split('-');
  const body = rest.join('-');
  switch (prefix.toUpperCase()) {
    case 'CVE':
      return text.toUpperCase();
    case 'GHSA':
      return `GHSA-${body.toLowerCase()}`;
    case 'SONATYPE':
      return text.toLowerCase();
    default:
      return text;
  }
}

export function checkSecurityStatus(status: string | undefined): SecurityStatus {
  if (!status?.trim()) throw new ValidationError(`status is required: one of ${SECURITY_STATUSES.join(', ')}`);
  const key = status.trim().toUpperCase().replace(/[\s-]+/g, '_') as SecurityStatus;
  if (!SECURITY_STATUSES.includes(key)) throw new ValidationError(`status "${status}" is not one of ${SECURITY_STATUSES.join(', ')}`);
  return key;
}

/** Owner names (and application public ids) for the owners of some rows. */
async function ownerDetails(ctx: AppContext, rows: SecurityOverrideTable[]): Promise<Map<string, { name: string; publicId?: string }>> {
  const orgIds = [...new Set(rows.filter((r) => r.owner_type === 'organization').map((r) => r.owner_id))];
  const appIds = [...new Set(rows.filter((r) => r.owner_type === 'application').map((r) => r.owner_id))];
  const [orgs, apps] = await Promise.all([
    orgIds.length ? ctx.store.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute() : [],
    appIds.length ? ctx.store.db.selectFrom('applications').select(['id', 'name', 'public_id']).where('id', 'in', appIds).execute() : [],
  ]);
  const details = new Map<string, { name: string; publicId?: string }>();
  for (const o of orgs) details.set(`organization:${o.id}`, { name: o.name });
  for (const a of apps) details.set(`application:${a.id}`, { name: a.name, publicId: a.public_id });
  return details;
}

function toView(row: SecurityOverrideTable, owner: { name: string; publicId?: string } | undefined, affected: unknown[] = []): SecurityOverrideView {
  return {
    securityOverrideId: row.id,
    referenceId: row.reference_id,
    ...(row.component_hash !== null ? { hash: row.component_hash } : {}),
    status: row.status as SecurityStatus,
    ...(row.comment !== null ? { comment: row.comment } : {}),
    owner: {
      ownerId: row.owner_id,
      ownerName: owner?.name ?? row.owner_id,
      ...(owner?.publicId ? { ownerPublicId: owner.publicId } : {}),
      ownerType: row.owner_type,
    },
    currentlyAffectedComponents: affected,
  };
}

/** Overrides in the reference's shape, with the affected components found for them (by override id). */
export async function securityOverrideViews(
  ctx: AppContext,
  rows: SecurityOverrideTable[],
  affected: ReadonlyMap<string, unknown[]> = new Map(),
): Promise<SecurityOverrideView[]> {
  const details = await ownerDetails(ctx, rows);
  return rows.map((r) => toView(r, details.get(`${r.owner_type}:${r.owner_id}`), affected.get(r.id)));
}

/** An organization or application by internal id alone (the listing's ownerId filter). */
async function ownerById(ctx: AppContext, ownerId: string): Promise<Owner> {
  const app = await ctx.store.db.selectFrom('applications').select('id').where('id', '=', ownerId).executeTakeFirst();
  if (app) return resolveOwner(ctx.store, 'application', ownerId);
  const org = await ctx.store.db.selectFrom('organizations').select('id').where('id', '=', ownerId).executeTakeFirst();
  if (org) return resolveOwner(ctx.store, 'organization', ownerId);
  throw new NotFoundError(`No organization or application has the id ${ownerId}`);
}

/** What a listing selected: the overrides, and where their affected components are looked for. */
export interface SelectedSecurityOverrides {
  rows: SecurityOverrideTable[];
  /** The applications the caller may view */
  applications: Set<string>;
  /** The owner the listing asked about (its ownerId filter): affected components only at or below it. */
  within: Owner | null;
}

/**
 * The overrides a principal may see (View IQ Elements on their owner), filtered: by vulnerability;
 * by component (its own overrides and those of every component); by owner (those applying to it:
 * its own and its organizations', which the caller then needs View IQ Elements on the owner for).
 */
export async function selectSecurityOverrides(ctx: AppContext, principal: Principal, filter: SecurityOverrideFilter): Promise<SelectedSecurityOverrides> {
  let query = ctx.store.db.selectFrom('security_overrides').selectAll();
  if (filter.refId?.trim()) query = query.where('reference_id', '=', checkReferenceId(filter.refId));
  if (filter.componentPurl?.trim()) {
    const purl = canonicalPackageUrl(filter.componentPurl.trim());
    query = query.where((eb) => eb.or([eb('package_url', '=', purl), eb('component_key', '=', EVERY_COMPONENT)]));
  }
  let rows: SecurityOverrideTable[];
  let within: Owner | null = null;
  if (filter.ownerId?.trim()) {
    const owner = await ownerById(ctx, filter.ownerId.trim());
    await requirePermission(ctx.store, principal, 'READ', { type: owner.type, id: owner.id });
    within = owner;
    const owners = await ownerLine(ctx.store, owner);
    query = query.where(ownedBy(owners));
    const distance = new Map(owners.map((o, i) => [`${o.type}:${o.id}`, i]));
    rows = (await query.orderBy('reference_id').orderBy('component_key').execute()).sort(
      (a, b) => distance.get(`${a.owner_type}:${a.owner_id}`)! - distance.get(`${b.owner_type}:${b.owner_id}`)!,
    );
  } else {
    rows = await query.orderBy('reference_id').orderBy('owner_type').orderBy('owner_id').orderBy('component_key').execute();
  }
  const visible = await visibleOwners(ctx.store, principal, 'READ');
  if (!within) {
    rows = rows.filter((r) => (r.owner_type === 'organization' ? visible.organizations.has(r.owner_id) : visible.applications.has(r.owner_id)));
  }
  return { rows, applications: visible.applications, within };
}

function componentOf(input: SecurityOverrideInput): ResolvedComponent | null {
  if (input.componentIdentifier == null && !input.packageUrl?.trim() && !input.hash?.trim()) return null;
  const component = resolveComponent(input);
  // Known by coordinates only: its coordinate hash, as evaluation hashes SBOM entries.
  if (!component.hash && component.componentIdentifier) return { ...component, hash: coordinateHash(component.componentIdentifier) };
  return component;
}

/**
 * Sets the status of a vulnerability for a component (or, with none given, for every component)
 * on an owner: replaces the owner's override of the same vulnerability and component, if any.
 */
export async function saveSecurityOverride(
  ctx: AppContext,
  owner: Owner,
  input: SecurityOverrideInput,
  actor: { username: string },
): Promise<SecurityOverrideView> {
  const referenceId = checkReferenceId(input.referenceId);
  const status = checkSecurityStatus(input.status);
  if (input.comment !== undefined && input.comment.length > MAX_SECURITY_COMMENT_LENGTH) {
    throw new ValidationError(`comment must be at most ${MAX_SECURITY_COMMENT_LENGTH} characters long`);
  }
  const component = componentOf(input);
  const columns = component
    ? componentColumns(component)
    : { component_key: EVERY_COMPONENT, component_hash: null, package_url: null, component_identifier: null };
  const now = ctx.now().toISOString();
  const values = { ...columns, reference_id: referenceId, status, comment: input.comment ?? null, updated_by: actor.username, updated_at: now };
  let saved: SecurityOverrideTable | undefined;
  const save = () => ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('security_overrides')
      .selectAll()
      .where(ownedBy(owner))
      .where('reference_id', '=', referenceId)
      .where('component_key', '=', columns.component_key)
      .executeTakeFirst();
    if (existing) {
      await trx.updateTable('security_overrides').set(values).where('id', '=', existing.id).execute();
      saved = { ...existing, ...values };
    } else {
      saved = { id: newId(), ...ownerColumns(owner), ...values, created_at: now };
      await trx.insertInto('security_overrides').values(saved).execute();
    }
    await raiseSecurityOverride(trx, ctx, saved, existing ? 'UPDATE' : 'CREATE');
  });
  // A concurrent save may insert the same row first: run again, this one then finds that row.
  await retryOnDuplicate(save);
  return toView(saved!, { name: owner.name, publicId: owner.publicId });
}

export async function deleteSecurityOverride(ctx: AppContext, owner: Owner, id: string): Promise<void> {
  await deleteOwnedRow(ctx, 'security_overrides', owner, id, 'Security override', (trx, row) => raiseSecurityOverride(trx, ctx, row, 'DELETE'));
}

/**
 * `iq:securityVulnerabilityOverrideManagement`, IQ's payload: `action` and the override (`id`,
 * `ownerId`, `hash`, `source`, `referenceId`, `status`, `comment`), with Tollgate's package URL.
 */
function raiseSecurityOverride(trx: Kysely<Database>, ctx: AppContext, row: SecurityOverrideTable, action: ManagementAction): Promise<void> {
  return raiseEvent(trx, ctx, 'iq:securityVulnerabilityOverrideManagement', () => ({
    id: row.id,
    payload: {
      action,
      securityVulnerabilityOverride: {
        id: row.id,
        ownerId: row.owner_id,
        hash: row.component_hash,
        ...(row.package_url ? { packageUrl: row.package_url } : {}),
        source: issueSource(row.reference_id),
        referenceId: row.reference_id,
        status: row.status,
        comment: row.comment,
      },
    },
  }));
}

/** The security overrides applying to an application: own and inherited from its organizations. */
export async function securityOverridesFor(ctx: AppContext, applicationId: string): Promise<SecurityOverrideIndex> {
  return securityOverridesAt(ctx, await resolveOwner(ctx.store, 'application', applicationId));
}

/** The security overrides applying at an organization or application: own and inherited. */
export async function securityOverridesAt(ctx: AppContext, owner: Owner): Promise<SecurityOverrideIndex> {
  const owners = await ownerLine(ctx.store, owner);
  const rows = await ctx.store.db
    .selectFrom('security_overrides')
    .selectAll()
    .where(ownedBy(owners))
    .execute();
  return new SecurityOverrideIndex(appliedAlong(owners, rows, (r) => ({ referenceId: r.reference_id, status: r.status as SecurityStatus })));
}
