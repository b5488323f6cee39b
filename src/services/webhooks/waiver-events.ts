import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { Database } from '../../store/schema.js';
import type { PolicyWaiverTable } from '../../store/tables/waivers.js';
import type { ManagementAction } from './event-types.js';
import { raiseEvent } from './raise.js';

/**
 * A waiver made, changed or deleted (`iq:policyWaiverManagement`, Tollgate's) or ended because a
 * remediating version became available (`iq:waiverExpiration`, IQ's id): `action` and the waiver
 * (`policyWaiver`) in the names the reference's ApiPolicyWaiverDTO gives its fields.
 */
export function raiseWaiverEvent(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'now' | 'config' | 'store'>,
  type: 'iq:policyWaiverManagement' | 'iq:waiverExpiration',
  row: PolicyWaiverTable,
  action: ManagementAction | 'EXPIRE',
): Promise<void> {
  return raiseEvent(trx, ctx, type, () => ({
    id: row.id,
    payload: {
      action,
      policyWaiver: {
        policyWaiverId: row.id,
        policyId: row.policy_id,
        scopeOwnerType: row.owner_type,
        scopeOwnerId: row.owner_id,
        matcherStrategy: row.matcher_strategy,
        policyViolationId: row.policy_violation_id,
        hash: row.component_hash,
        associatedPackageUrl: row.package_url,
        comment: row.comment,
        expiryTime: row.expiry_time,
        expireWhenRemediationAvailable: Number(row.expire_when_remediation_available) === 1,
        creatorName: row.creator_name,
        createTime: row.created_at,
      },
    },
  }));
}
