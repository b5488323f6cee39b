import type { AppContext } from '../../core/context.js';
import { ensureDeliveryJob } from './delivery-jobs.js';
import { sendWebhook } from './send.js';

const iso = (d: Date) => d.toISOString();

/** The wait before attempt `failed + 1`: retryInitialMs doubling, at most retryMaxMs. */
export function retryDelayMs(config: AppContext['config']['webhooks'], failed: number): number {
  return Math.min(config.retryInitialMs * 2 ** Math.min(failed - 1, 40), config.retryMaxMs);
}

export interface DrainResult {
  delivered: number;
  failed: number;
  /** Another job holds this webhook's queue; it looks again when it lets go. */
  busy?: boolean;
}

/**
 * Delivers a webhook's pending deliveries, oldest first, until one fails or none is due: the failed
 * one is tried again after its back-off, and the ones behind it wait for it, so that a receiver
 * that was down gets every event afterwards, in order. One job at a time holds a webhook's queue
 * (a lease on its row, taken with a conditional UPDATE as the job queue takes jobs); a job that
 * finds it held leaves, and the holder looks once more after letting go, so nothing raised
 * meanwhile waits for the next event.
 */
export async function drainWebhook(ctx: AppContext, webhookId: string, holder: string, signal?: AbortSignal): Promise<DrainResult> {
  const total: DrainResult = { delivered: 0, failed: 0 };
  const config = ctx.config.webhooks;
  // Long enough for one delivery and the bookkeeping around it; renewed after each.
  const leaseMs = config.timeoutMs * 2 + 30_000;
  for (;;) {
    const now = iso(ctx.now());
    const taken = await ctx.store.db
      .updateTable('webhooks')
      .set({ drain_owner: holder, drain_expires_at: iso(new Date(ctx.now().getTime() + leaseMs)) })
      .where('id', '=', webhookId)
      .where((eb) => eb.or([eb('drain_owner', 'is', null), eb('drain_expires_at', '<', now)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return { ...total, busy: true };
    try {
      await drainHeld(ctx, webhookId, holder, leaseMs, total, signal);
      await purgeOldDeliveries(ctx, webhookId);
    } finally {
      await ctx.store.db.updateTable('webhooks').set({ drain_owner: null, drain_expires_at: null }).where('id', '=', webhookId).where('drain_owner', '=', holder).execute();
    }
    if (signal?.aborted) return total;
    // Raised while this job held the queue (its own job left, finding it held): deliver it now.
    const due = await nextPending(ctx, webhookId);
    if (!due || due.next_attempt_at > iso(ctx.now())) return total;
  }
}

function nextPending(ctx: AppContext, webhookId: string) {
  return ctx.store.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

async function drainHeld(ctx: AppContext, webhookId: string, holder: string, leaseMs: number, total: DrainResult, signal?: AbortSignal): Promise<void> {
  const config = ctx.config.webhooks;
  while (!signal?.aborted) {
    const head = await nextPending(ctx, webhookId);
    if (!head) return;
    if (head.next_attempt_at > iso(ctx.now())) {
      await ensureDeliveryJob(ctx.store.db, ctx, webhookId, new Date(head.next_attempt_at));
      return;
    }
    // Read each time: a changed URL or secret applies to the next attempt.
    const hook = await ctx.store.db.selectFrom('webhooks').select(['url', 'secret_key']).where('id', '=', webhookId).executeTakeFirst();
    if (!hook) return;
    const result = await sendWebhook(
      { url: hook.url, secretKey: hook.secret_key, eventType: head.event_type, deliveryId: head.id, body: head.body },
      config,
    );
    const now = ctx.now();
    const attempts = head.attempts + 1;
    const common = { attempts, last_status: result.status ?? null, last_error: result.ok ? null : (result.error ?? 'failed'), last_attempt_at: iso(now) };
    if (result.ok) {
      await ctx.store.db.updateTable('webhook_deliveries').set({ ...common, status: 'delivered', delivered_at: iso(now) }).where('id', '=', head.id).execute();
      total.delivered++;
    } else {
      const giveUpAt = Date.parse(head.created_at) + config.giveUpAfterHours * 3_600_000;
      const next = new Date(now.getTime() + retryDelayMs(config, attempts));
      if (next.getTime() > giveUpAt) {
        // Given up: the ones behind it go on.
        await ctx.store.db.updateTable('webhook_deliveries').set({ ...common, status: 'failed' }).where('id', '=', head.id).execute();
        ctx.log.warn({ webhookId, deliveryId: head.id, attempts, error: common.last_error }, 'webhook delivery given up');
      } else {
        await ctx.store.db.updateTable('webhook_deliveries').set({ ...common, next_attempt_at: iso(next) }).where('id', '=', head.id).execute();
        await ensureDeliveryJob(ctx.store.db, ctx, webhookId, next);
        total.failed++;
        ctx.log.info({ webhookId, deliveryId: head.id, attempts, error: common.last_error, retryAt: iso(next) }, 'webhook delivery failed; retrying');
        return;
      }
    }
    await ctx.store.db
      .updateTable('webhooks')
      .set({ drain_expires_at: iso(new Date(ctx.now().getTime() + leaseMs)) })
      .where('id', '=', webhookId)
      .where('drain_owner', '=', holder)
      .execute();
  }
}

/** Deliveries done with (delivered or given up) older than webhooks.retentionDays. */
async function purgeOldDeliveries(ctx: AppContext, webhookId: string): Promise<void> {
  const cutoff = iso(new Date(ctx.now().getTime() - ctx.config.webhooks.retentionDays * 86_400_000));
  await ctx.store.db
    .deleteFrom('webhook_deliveries')
    .where('webhook_id', '=', webhookId)
    .where('created_at', '<', cutoff)
    .where('status', '!=', 'pending')
    .execute();
}
