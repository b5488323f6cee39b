import type { WaiverInput } from '../../policy/waivers.js';
import type { AppContext } from '../../core/context.js';
import { type Owner, resolveOwner } from '../owners/owner.js';
import { ownerLine } from '../owners/owner-line.js';
import { ownedBy } from '../owners/owner-filter.js';

/**
 * The policy waivers in effect where an evaluation runs, as the policy engine takes them (made and
 * listed in services/decisions/policy-waivers.ts). Reads only.
 */

/**
 * The waivers in effect for an application, as the policy engine takes them: its own and its
 * organizations', unexpired at `now`, with the owner chain the engine checks scopes against.
 */
export async function waiversFor(ctx: AppContext, applicationId: string): Promise<{ waivers: WaiverInput[]; ownerIds: string[] }> {
  return waiversAt(ctx, await resolveOwner(ctx.store, 'application', applicationId));
}

/**
 * The unexpired waiver rows at an organization or application and the organizations above it
 * (oldest first), with that owner chain, nearest first. A read: waivers that expire when
 * remediation is available are expired by the evaluation job's own step before it reads them
 * (services/decisions/waiver-remediation.ts).
 */
export async function waiverRowsInEffect(ctx: AppContext, owner: Owner) {
  const owners = await ownerLine(ctx.store, owner);
  const now = ctx.now().toISOString();
  const rows = await ctx.store.db
    .selectFrom('policy_waivers')
    .select([
      'id',
      'owner_type',
      'owner_id',
      'policy_id',
      'matcher_strategy',
      'component_hash',
      'package_url',
      'component_identifier',
      'expiry_time',
      'expire_when_remediation_available',
    ])
    .where(ownedBy(owners))
    .where((eb) => eb.or([eb('expiry_time', 'is', null), eb('expiry_time', '>', now)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { owners, rows };
}

/** The waivers in effect at an organization or application (see waiversFor and waiverRowsInEffect). */
export async function waiversAt(ctx: AppContext, owner: Owner): Promise<{ waivers: WaiverInput[]; ownerIds: string[] }> {
  const { owners, rows } = await waiverRowsInEffect(ctx, owner);
  const waivers = rows.map((r): WaiverInput => {
    const match: WaiverInput['match'] =
      r.matcher_strategy === 'ALL_COMPONENTS'
        ? { type: 'allComponents' }
        : r.matcher_strategy === 'ALL_VERSIONS'
          ? { type: 'allVersions', packageUrl: r.package_url ?? '' }
          : { type: 'component', ...(r.component_hash ? { hash: r.component_hash } : {}), ...(r.package_url ? { packageUrl: r.package_url } : {}) };
    const waiver: WaiverInput = { id: r.id, policyId: r.policy_id, match, scope: { ownerType: r.owner_type as 'organization' | 'application', ownerId: r.owner_id } };
    if (r.expiry_time) waiver.expiresAt = r.expiry_time;
    return waiver;
  });
  return { waivers, ownerIds: owners.map((o) => o.id) };
}
