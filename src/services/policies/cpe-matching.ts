import type { Scope } from '../access/access.js';
import { ownerChain } from '../access/access.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError } from '../../core/errors.js';
import { getSetting, putSetting } from '../admin/settings.js';

/**
 * Whether components may be matched to vulnerabilities by CPE (in addition to package coordinates),
 * set on an organization or application and inherited down the tree. An owner above that sets
 * `allowOverride: false` fixes the choice for everything below it.
 */
export interface CpeMatchingConfiguration {
  enabled: boolean;
  allowOverride: boolean;
}

export interface ApplicableCpeMatching extends CpeMatchingConfiguration {
  ownerType: 'application' | 'organization';
  ownerId: string;
  /** Where the applicable configuration is set; absent when it is the default. */
  inheritedFromOwnerType?: string;
  inheritedFromOwnerId?: string;
}

const DEFAULT: CpeMatchingConfiguration = { enabled: false, allowOverride: true };
const key = (ownerType: string, ownerId: string) => `cpe.${ownerType}.${ownerId}`;

type OwnerScope = Extract<Scope, { type: 'application' | 'organization' }>;

async function lockedAbove(ctx: AppContext, chain: Array<[string, string]>): Promise<[string, string] | undefined> {
  for (const [type, id] of chain) {
    const set = await getSetting<CpeMatchingConfiguration>(ctx.store.db, key(type, id));
    if (set && !set.allowOverride) return [type, id];
  }
  return undefined;
}

export async function applicableCpeMatching(ctx: AppContext, owner: OwnerScope): Promise<ApplicableCpeMatching> {
  const chain = (await ownerChain(ctx.store, owner)).filter(([t]) => t !== 'global');
  // The nearest owner with a configuration wins, unless one above it forbids overriding.
  const locked = await lockedAbove(ctx, chain.slice(0, -1));
  const candidates = locked ? [locked] : [...chain].reverse();
  for (const [type, id] of candidates) {
    const set = await getSetting<CpeMatchingConfiguration>(ctx.store.db, key(type, id));
    if (set) {
      const own = type === owner.type && id === owner.id;
      return { ownerType: owner.type, ownerId: owner.id, ...set, ...(own ? {} : { inheritedFromOwnerType: type, inheritedFromOwnerId: id }) };
    }
  }
  return { ownerType: owner.type, ownerId: owner.id, ...DEFAULT };
}

export async function setCpeMatching(ctx: AppContext, owner: OwnerScope, input: Partial<CpeMatchingConfiguration>): Promise<ApplicableCpeMatching> {
  const chain = (await ownerChain(ctx.store, owner)).filter(([t]) => t !== 'global');
  const locked = await lockedAbove(ctx, chain.slice(0, -1));
  if (locked) {
    throw new ConflictError(`CPE matching is fixed by ${locked[0]} ${locked[1]}, which does not allow overriding it below.`);
  }
  const current = (await getSetting<CpeMatchingConfiguration>(ctx.store.db, key(owner.type, owner.id))) ?? DEFAULT;
  const next: CpeMatchingConfiguration = {
    enabled: input.enabled ?? current.enabled,
    allowOverride: input.allowOverride ?? current.allowOverride,
  };
  await putSetting(ctx.store.db, key(owner.type, owner.id), next, ctx.now().toISOString());
  return applicableCpeMatching(ctx, owner);
}
