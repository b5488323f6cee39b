import { MAX_PATTERNS_PER_OWNER, patternProblem } from '../../policy/proprietary-patterns.js';
import { type AppContext, nowIso } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { ownerColumns } from '../owners/owner-columns.js';
import { ownerLine } from '../owners/owner-line.js';
import type { Owner } from '../owners/owner.js';
import { ownedBy } from '../owners/owner-filter.js';

/**
 * Proprietary components: package-URL patterns an organization or application declares its own
 * (policy/proprietary-patterns.ts). What an owner declares applies to it and everything below it,
 * so an application's components are proprietary by its own patterns and every organization's
 * above it. Tollgate's own API: the reference has no operation for this configuration.
 */

export interface OwnerPatterns {
  ownerType: 'organization' | 'application';
  ownerId: string;
  ownerName: string;
  packageUrlPatterns: string[];
}

export interface ProprietaryComponentsView {
  ownerType: 'organization' | 'application';
  ownerId: string;
  packageUrlPatterns: string[];
  /** What the organizations above the owner declare, from the nearest up to the root; owners declaring nothing are left out. */
  inherited: OwnerPatterns[];
}

/** Each of `owners`' patterns, in the order of `owners` (owners declaring nothing have an empty list). */
async function patternsOf(ctx: AppContext, owners: readonly Owner[]): Promise<OwnerPatterns[]> {
  const rows = await ctx.store.db
    .selectFrom('proprietary_components')
    .select(['owner_type', 'owner_id', 'package_url_patterns'])
    .where(ownedBy(owners))
    .execute();
  const byOwner = new Map(rows.map((r) => [`${r.owner_type}:${r.owner_id}`, JSON.parse(r.package_url_patterns) as string[]]));
  return owners.map((o) => ({ ownerType: o.type, ownerId: o.id, ownerName: o.name, packageUrlPatterns: byOwner.get(`${o.type}:${o.id}`) ?? [] }));
}

export async function proprietaryComponentsOf(ctx: AppContext, owner: Owner): Promise<ProprietaryComponentsView> {
  // Nearest first: the owner, then the organizations above it up to the root.
  const [own, ...above] = await patternsOf(ctx, await ownerLine(ctx.store, owner));
  return {
    ownerType: owner.type,
    ownerId: owner.id,
    packageUrlPatterns: own.packageUrlPatterns,
    inherited: above.filter((o) => o.packageUrlPatterns.length > 0),
  };
}

/** Every pattern in effect at `owner`: its own and those of every organization above it (for evaluation). */
export async function effectiveProprietaryPatterns(ctx: AppContext, owner: Owner): Promise<string[]> {
  return (await patternsOf(ctx, (await ownerLine(ctx.store, owner)).reverse())).flatMap((o) => o.packageUrlPatterns);
}

/** Trimmed, checked and de-duplicated (case-insensitively, first spelling kept); a ValidationError names the first bad pattern. */
export function checkPatterns(input: unknown): string[] {
  if (!Array.isArray(input)) throw new ValidationError('packageUrlPatterns must be an array of package URL patterns');
  const seen = new Set<string>();
  const patterns: string[] = [];
  for (const entry of input) {
    if (typeof entry !== 'string') throw new ValidationError('packageUrlPatterns must contain only strings');
    const pattern = entry.trim();
    const problem = patternProblem(pattern);
    if (problem) throw new ValidationError(`Package URL pattern "${pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern}" ${problem}`);
    const key = pattern.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    patterns.push(pattern);
  }
  if (patterns.length > MAX_PATTERNS_PER_OWNER) {
    throw new ValidationError(`An owner may declare at most ${MAX_PATTERNS_PER_OWNER} proprietary package URL patterns, not ${patterns.length}`);
  }
  return patterns;
}

/** Replaces the owner's patterns (an empty list removes them all); nothing is stored when any pattern is bad. */
export async function replaceProprietaryComponents(
  ctx: AppContext,
  owner: Owner,
  input: unknown,
  by: { username: string },
): Promise<ProprietaryComponentsView> {
  const patterns = checkPatterns(input);
  if (patterns.length === 0) {
    await ctx.store.db.deleteFrom('proprietary_components').where(ownedBy(owner)).execute();
  } else {
    // One statement, so that concurrent saves of the same owner's patterns take turns (the last wins).
    const changes = { package_url_patterns: JSON.stringify(patterns), updated_by: by.username, updated_at: nowIso(ctx) };
    await ctx.store.db
      .insertInto('proprietary_components')
      .values({ ...ownerColumns(owner), ...changes })
      .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doUpdateSet(changes))
      .execute();
  }
  return proprietaryComponentsOf(ctx, owner);
}
