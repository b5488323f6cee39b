import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { sortableId } from '../../core/ids.js';
import { currentInitiator, noteQueuedWork } from '../../core/initiator.js';
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
  let shared: Promise<Omit<RaisedEvent, 'type'>> | undefined;
  await raiseEventPerWebhook(db, ctx, type, () => {
    shared ??= Promise.resolve(build());
    return shared;
  });
}

/**
 * `raiseEvent` where each subscribed webhook may get its own payload, or none (`build` answers
 * undefined): the Violation Alert, which a webhook receives only for the policies naming it.
 */
export async function raiseEventPerWebhook(
  db: Kysely<Database>,
  ctx: Pick<AppContext, 'now' | 'config' | 'store'>,
  type: WebhookEventType,
  build: (webhookId: string) => Omit<RaisedEvent, 'type'> | undefined | Promise<Omit<RaisedEvent, 'type'> | undefined>,
): Promise<void> {
  const subscribed = (await db.selectFrom('webhooks').select(['id', 'event_types']).execute()).filter((h) =>
    (JSON.parse(h.event_types) as string[]).includes(type),
  );
  if (subscribed.length === 0) return;
  const now = ctx.now().toISOString();
  const initiator = currentInitiator();
  const rows: Array<{ webhookId: string; body: string }> = [];
  const bodies = new Map<object, string>();
  for (const h of subscribed) {
    const event = await build(h.id);
    if (!event) continue;
    // Compact JSON (JSON.stringify): what a receiver parses and serialises again is these bytes, so an
    // HMAC it computes over JSON.stringify(body) matches the signature. One serialisation per payload.
    let body = bodies.get(event);
    if (body === undefined) {
      body = JSON.stringify({ timestamp: now, initiator: event.initiator ?? initiator, id: event.id, ...event.payload });
      bodies.set(event, body);
    }
    rows.push({ webhookId: h.id, body });
  }
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      rows.map((r) => ({
        id: randomUUID(),
        webhook_id: r.webhookId,
        seq: sortableId(now),
        event_type: type,
        body: r.body,
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
  for (const r of rows) await ensureDeliveryJob(db, ctx, r.webhookId, new Date(now));
  noteQueuedWork();
}
