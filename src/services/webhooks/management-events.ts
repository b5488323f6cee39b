import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { Database } from '../../store/schema.js';
import type { ManagementAction, PolicyManagementType } from './event-types.js';
import { ownerLists } from './owner-lists.js';
import { raiseEvent } from './raise.js';

/** An organization or application as Policy Management payloads name it (IQ's owner). */
export interface PayloadOwner {
  type: 'application' | 'organization' | 'global' | string;
  id: string;
  name?: string;
  publicId?: string;
  /** An application's organization, an organization's parent. */
  parentOwnerId?: string | null;
}

/** What changed, under the owner: `policies`, `labels`, `tags`, `licenseThreatGroups`, `access`, or nothing for the owner itself. */
export interface ManagementChange {
  type: PolicyManagementType;
  action: ManagementAction;
  /** The payload's `id`: the record changed. */
  id: string;
  owner: PayloadOwner;
  item?: { list: 'policies' | 'labels' | 'tags' | 'licenseThreatGroups' | 'access'; value: object };
}

/**
 * Raises `iq:policyManagement` for a change to an owner or something it holds. The payload is
 * IQ's: `type` (ORGANIZATION, APPLICATION, APPLICATION_CATEGORY, LABEL, LICENSE_THREAT_GROUP,
 * POLICY, ACCESS), `action`, `id` (the record changed), and the `owner` as IQ documents it: its ids
 * and every list it holds (`tags`, `labels`, `licenseThreatGroups`, `policies`, `access`) as they
 * stand after the change, read in the change's transaction (owner-lists.ts). A deleted record is
 * named by `id` and no longer in its list; an owner deleted has empty lists. The global context
 * (access only) lists the changed role's members.
 */
export function raisePolicyManagement(db: Kysely<Database>, ctx: Pick<AppContext, 'now' | 'config' | 'store'>, change: ManagementChange): Promise<void> {
  return raiseEvent(db, ctx, 'iq:policyManagement', async () => {
    const o = change.owner;
    const owner: Record<string, unknown> = {
      id: o.id,
      ...(o.publicId ? { publicId: o.publicId } : {}),
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...(o.parentOwnerId ? { parentOwnerId: o.parentOwnerId } : {}),
      type: o.type.toUpperCase(),
    };
    if (o.type === 'organization' || o.type === 'application') {
      const lists = await ownerLists(db, o);
      Object.assign(owner, { tags: lists.tags, labels: lists.labels, licenseThreatGroups: lists.licenseThreatGroups, policies: lists.policies, access: lists.access });
    } else if (change.item) {
      owner[change.item.list] = [change.item.value];
    }
    return { id: change.id, payload: { action: change.action, type: change.type, owner } };
  });
}

/** The owner fields of an organization or application (services/owners/owner.ts Owner). */
export function payloadOwner(owner: { type: string; id: string; name: string; publicId?: string; organizationId?: string }): PayloadOwner {
  return {
    type: owner.type,
    id: owner.id,
    name: owner.name,
    publicId: owner.publicId,
    parentOwnerId: owner.type === 'application' ? owner.organizationId : undefined,
  };
}
