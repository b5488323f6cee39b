// Lifecycle webhooks (services/webhooks/): where events are sent, and each event's delivery to each.

declare module '../schema.js' {
  interface Database {
    webhooks: WebhookTable;
    webhook_deliveries: WebhookDeliveryTable;
  }
}

export interface WebhookTable {
  id: string;
  url: string;
  description: string | null;
  /** The HMAC key the bodies are signed with; never returned by the API nor logged. */
  secret_key: string | null;
  /** JSON array of event type ids (`iq:applicationEvaluation`, …). */
  event_types: string;
  created_at: string;
  updated_at: string;
  /** The delivery job draining this webhook's queue and until when: one at a time, so deliveries stay in order. */
  drain_owner: string | null;
  drain_expires_at: string | null;
}

export interface WebhookDeliveryTable {
  /** A UUID: the `X-Nexus-Webhook-Delivery` header, the same on every attempt. */
  id: string;
  webhook_id: string;
  /** Sorts in the order the events were raised (core/ids.ts sortableId): deliveries go out in this order. */
  seq: string;
  event_type: string;
  /** The exact JSON sent (compact, so a receiver re-serialising it gets the same bytes). */
  body: string;
  /** pending | delivered | failed (given up after webhooks.giveUpAfterHours) */
  status: string;
  attempts: number;
  /** The receiver's HTTP status of the last attempt; null when none answered. */
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string;
  created_at: string;
  delivered_at: string | null;
}
