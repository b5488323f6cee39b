import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { submitJob } from '../../jobs/queue.js';
import type { Database } from '../../store/schema.js';

/** The job type that delivers a webhook's events (jobs/handlers/webhook-delivery.ts). */
export const WEBHOOK_DELIVERY_JOB = 'webhook-delivery';

export interface WebhookDeliveryPayload {
  webhookId: string;
}

/**
 * Makes sure a delivery job for the webhook waits to run no later than `at`: at most one waits per
 * webhook (the queue stays bounded however many events are raised), and an earlier time wins.
 */
export async function ensureDeliveryJob(db: Kysely<Database>, ctx: Pick<AppContext, 'now' | 'config' | 'store'>, webhookId: string, at: Date): Promise<void> {
  const payload = JSON.stringify({ webhookId } satisfies WebhookDeliveryPayload);
  const waiting = await db
    .selectFrom('jobs')
    .select(['id', 'run_after'])
    .where('type', '=', WEBHOOK_DELIVERY_JOB)
    .where('status', '=', 'queued')
    .where('payload', '=', payload)
    .executeTakeFirst();
  const when = at.toISOString();
  if (waiting) {
    if (waiting.run_after > when) await db.updateTable('jobs').set({ run_after: when }).where('id', '=', waiting.id).where('status', '=', 'queued').execute();
    return;
  }
  await submitJob(
    { ...ctx, store: { ...ctx.store, db } },
    // Many attempts: a job that fails (database unreachable) is what carries the deliveries on.
    { type: WEBHOOK_DELIVERY_JOB, payload: { webhookId }, runAfter: at, unbounded: true, maxAttempts: 20 },
  );
}
