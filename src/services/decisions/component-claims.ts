import { type ComponentIdentifier, parseComponentHash, resolveComponent } from '../../ecosystems/identity.js';
import type { ComponentClaimTable } from '../../store/tables/component-overrides.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';

/**
 * Component claims: a person says what a component known only by its hash is (its coordinates,
 * and when it was published). Claims are global — a hash names the same file everywhere — and
 * evaluation uses them to identify components it would otherwise report as unknown.
 */

export const MAX_CLAIM_COMMENT_LENGTH = 2000;

/** The reference's ApiHashComponentIdentifierDTO. */
export interface ComponentClaimView {
  hash: string;
  comment?: string;
  createTime?: string;
  componentIdentifier: ComponentIdentifier;
  packageUrl: string;
  claimerId?: string;
  claimerName?: string;
}

export interface ComponentClaimInput {
  hash?: string;
  comment?: string;
  createTime?: string;
  componentIdentifier?: ComponentIdentifier;
  packageUrl?: string;
  /** Given by clients that copy a claim they read; the claimer is always whoever makes the change. */
  claimerId?: string;
  claimerName?: string;
}

/** Who makes the claim: their username, and their name where the user record has one. */
export interface Claimer {
  username: string;
}

// The offset as RFC 3339 writes it (+02:00) or as IQ Server and Java clients do (+0200).
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):?(\d{2}))$/i;

/** An ISO-8601 date and time with its offset (RFC 3339), checked on the calendar; returned as given. */
export function checkDateTime(field: string, value: string): string {
  const match = ISO_DATE_TIME.exec(value);
  const [year, month, day, hour, minute, second] = (match ?? []).slice(1, 7).map(Number);
  const offsetHours = match?.[9] === undefined ? 0 : Number(match[9]);
  const offsetMinutes = match?.[10] === undefined ? 0 : Number(match[10]);
  const calendar = match ? new Date(Date.UTC(year, month - 1, day)) : undefined;
  const valid =
    calendar !== undefined &&
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) {
    throw new ValidationError(`${field} "${value}" is not an ISO-8601 date and time with an offset, e.g. 2020-02-14T00:00:00.000Z`);
  }
  return value;
}

function toView(row: ComponentClaimTable): ComponentClaimView {
  return {
    hash: row.hash,
    ...(row.comment !== null ? { comment: row.comment } : {}),
    ...(row.create_time !== null ? { createTime: row.create_time } : {}),
    componentIdentifier: { format: row.format, coordinates: JSON.parse(row.coordinates) },
    packageUrl: row.package_url,
    ...(row.claimer_id !== null ? { claimerId: row.claimer_id } : {}),
    ...(row.claimer_name !== null ? { claimerName: row.claimer_name } : {}),
  };
}

/** The claim of a component hash; 404 when nobody has claimed it. */
export async function getClaim(ctx: AppContext, hash: string): Promise<ComponentClaimView> {
  const key = parseComponentHash(hash);
  const row = await ctx.store.db.selectFrom('component_claims').selectAll().where('hash', '=', key).executeTakeFirst();
  if (!row) throw new NotFoundError(`Component Claim for hash ${key} does not exist`);
  return toView(row);
}

/** Every claim, by hash. */
export async function listClaims(ctx: AppContext): Promise<ComponentClaimView[]> {
  const rows = await ctx.store.db.selectFrom('component_claims').selectAll().orderBy('hash').execute();
  return rows.map(toView);
}

/** The claims of some hashes (for evaluation: one query for a whole report). */
export async function claimsFor(ctx: AppContext, hashes: Iterable<string>): Promise<Map<string, ComponentClaimView>> {
  const wanted = [...new Set(hashes)];
  const claims = new Map<string, ComponentClaimView>();
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await ctx.store.db.selectFrom('component_claims').selectAll().where('hash', 'in', wanted.slice(i, i + 500)).execute();
    for (const row of rows) claims.set(row.hash, toView(row));
  }
  return claims;
}

/**
 * Adds or replaces the claim of `input.hash`. The identifier and package URL are checked against
 * each other (either may be given; both must then agree) and stored in canonical form; createTime
 * is kept exactly as given.
 */
export async function saveClaim(ctx: AppContext, input: ComponentClaimInput, claimer: Claimer): Promise<ComponentClaimView> {
  if (input.hash === undefined || input.hash.trim() === '') {
    throw new ValidationError("hash is required: the first 20 hexadecimal characters of the component's SHA-1");
  }
  const hash = parseComponentHash(input.hash);
  if (input.componentIdentifier == null && !input.packageUrl?.trim()) {
    throw new ValidationError('A claim needs the componentIdentifier or the packageUrl of the component being claimed');
  }
  const component = resolveComponent({ componentIdentifier: input.componentIdentifier, packageUrl: input.packageUrl });
  if (!component.componentIdentifier || !component.packageUrl) {
    throw new ValidationError('A claim needs the componentIdentifier or the packageUrl of the component being claimed');
  }
  if (input.comment !== undefined && input.comment.length > MAX_CLAIM_COMMENT_LENGTH) {
    throw new ValidationError(`comment must be at most ${MAX_CLAIM_COMMENT_LENGTH} characters long`);
  }
  const createTime = input.createTime === undefined || input.createTime === '' ? null : checkDateTime('createTime', input.createTime);
  const user = await ctx.store.db
    .selectFrom('users')
    .select(['username', 'first_name', 'last_name'])
    .where('username', '=', claimer.username)
    .executeTakeFirst();
  const fullName = [user?.first_name, user?.last_name].filter(Boolean).join(' ');
  const row: ComponentClaimTable = {
    hash,
    format: component.componentIdentifier.format,
    coordinates: JSON.stringify(component.componentIdentifier.coordinates),
    package_url: component.packageUrl,
    comment: input.comment ?? null,
    create_time: createTime,
    claimer_id: claimer.username,
    claimer_name: fullName || claimer.username,
    claimed_at: ctx.now().toISOString(),
  };
  const { hash: _key, ...changes } = row;
  await ctx.store.db
    .insertInto('component_claims')
    .values(row)
    .onConflict((oc) => oc.column('hash').doUpdateSet(changes))
    .execute();
  return toView(row);
}

/** Removes the claim of a hash; 404 when there is none. */
export async function deleteClaim(ctx: AppContext, hash: string): Promise<void> {
  const key = parseComponentHash(hash);
  const result = await ctx.store.db.deleteFrom('component_claims').where('hash', '=', key).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`Component Claim for hash ${key} does not exist`);
}
