import { WEBHOOK_DELIVERY_JOB, type WebhookDeliveryPayload } from '../../services/webhooks/delivery-jobs.js';
import { type DrainResult, drainWebhook } from '../../services/webhooks/delivery.js';
import type { JobHandler } from '../types.js';

/**
 * Delivers a webhook's pending events in order (services/webhooks/delivery.ts). In a lane of its
 * own: a receiver that is slow or down never holds a slot an evaluation waits for; four at once, so
 * one webhook's slow receiver does not hold up the others.
 */
const webhookDelivery: JobHandler<WebhookDeliveryPayload, DrainResult> = {
  type: WEBHOOK_DELIVERY_JOB,
  concurrency: 4,
  run(payload, job) {
    return drainWebhook(job.ctx, payload.webhookId, job.id, job.signal);
  },
};

export default webhookDelivery;
