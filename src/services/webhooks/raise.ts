import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { sortableId } from '../../core/ids.js';
import { currentInitiator } from '../../core/initiator.js';
import type { Database } from '../../store/schema.js';
import type { WebhookEventType } from './event-types.js';
import { ensureDeliveryJob } from './delivery-jobs.js';

export interface RaisedEvent {
  type: WebhookEventType;
  /** The payload's `id`: the record the event is about. */
  id: string;
  /** The rest of the payload, after `timestamp`, `initiator` and `id` (IQ's order). */
  payload: Record<string, unknown>;
  /** Default: the user of the request being handled (core/initiator.ts). */
  initiator?: string;
}

/**
 * Records an event for every webhook subscribed to its type: a delivery row each, and a delivery
 * job for the webhook unless one already waits. Call it with the transaction of the change that
 * raised it, so that the change and its events are stored together or not at all; the delivery
 * itself happens later, in a job (delivery.ts), never while the change's request waits.
 *
 * `build` is only called when some webhook subscribes: a change nobody listens to costs one read of
 * the (small) webhooks table.
 */
export async function raiseEvent(
  db: Kysely<Database>,
  ctx: Pick<AppContext, 'now' | 'config' | 'store'>,
  type: WebhookEventType,
  build: () => Omit<RaisedEvent, 'type'> | Promise<Omit<RaisedEvent, 'type'>>,
): Promise<void> {
  const hooks = (await db.selectFrom('webhooks').select(['id', 'event_types']).execute()).filter((h) =>
    (JSON.parse(h.event_types) as string[]).includes(type),
  );
  if (hooks.length === 0) return;
  const event = await build();
  const now = ctx.now().toISOString();
  // Compact JSON (JSON.stringify): what a receiver parses and serialises again is these bytes, so an
  // HMAC it computes over JSON.stringify(body) matches the signature.
  const body = JSON.stringify({ timestamp: now, initiator: event.initiator ?? currentInitiator(), id: event.id, ...event.payload });
  await db
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((h) => ({
        id: randomUUID(),
        webhook_id: h.id,
        seq: sortableId(now),
        event_type: type,
        body,
        status: 'pending',
        attempts: 0,
        last_status: null,
        last_error: null,
        last_attempt_at: null,
        next_attempt_at: now,
        created_at: now,
        delivered_at: null,
      })),
    )
    .execute();
  for (const h of hooks) await ensureDeliveryJob(db, ctx, h.id, new Date(now));
}
