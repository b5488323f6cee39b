import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { currentInitiator } from '../../core/initiator.js';
import type { WebhookTable } from '../../store/tables/webhooks.js';
import { refusedHost } from './address-policy.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, webhookEventType } from './event-types.js';
import { type SendResult, sendWebhook } from './send.js';

/** A webhook as the API shows it: never its secret key, only whether it has one. */
export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  hasSecretKey: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  url: string;
  description?: string | null;
  /** Absent on an update: kept. Null or empty: removed. */
  secretKey?: string | null;
  eventTypes: string[];
}

const MAX_URL = 2048;
const MAX_DESCRIPTION = 1000;
const MAX_SECRET = 512;

function toView(row: WebhookTable): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    hasSecretKey: !!row.secret_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkUrl(ctx: AppContext, value: string): string {
  const text = value.trim();
  if (text.length > MAX_URL) throw new ValidationError(`url must be at most ${MAX_URL} characters long`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(`url ${JSON.stringify(text)} is not a URL: give an absolute http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`url must be http:// or https://, not ${url.protocol}`);
  // Credentials in the URL would be shown to everyone who lists webhooks: the secret key signs instead.
  if (url.username || url.password) throw new ValidationError('url must not contain a user name or password: use secretKey to let the receiver check the sender');
  const refused = refusedHost(url.hostname, ctx.config.webhooks);
  if (refused) throw new ValidationError(`url refused: ${refused}`);
  return url.href;
}

function checkEventTypes(values: string[]): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new ValidationError(`eventTypes must name at least one event type: ${Object.keys(WEBHOOK_EVENT_TYPES).join(', ')}`);
  }
  const out = new Set<string>();
  for (const v of values) {
    const type = webhookEventType(v);
    if (!type) throw new ValidationError(`Unknown event type ${JSON.stringify(v)}: use ${Object.keys(WEBHOOK_EVENT_TYPES).join(', ')}`);
    out.add(type);
  }
  return [...out];
}

function checkDescription(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  if (value.length > MAX_DESCRIPTION) throw new ValidationError(`description must be at most ${MAX_DESCRIPTION} characters long`);
  return value;
}

function checkSecret(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (value.length > MAX_SECRET) throw new ValidationError(`secretKey must be at most ${MAX_SECRET} characters long`);
  return value;
}

async function row(ctx: AppContext, id: string): Promise<WebhookTable> {
  const found = await ctx.store.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!found) throw new NotFoundError(`Webhook ${id} not found`);
  return found;
}

export async function listWebhooks(ctx: AppContext): Promise<WebhookView[]> {
  const rows = await ctx.store.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

export async function getWebhook(ctx: AppContext, id: string): Promise<WebhookView> {
  return toView(await row(ctx, id));
}

export async function createWebhook(ctx: AppContext, input: WebhookInput): Promise<WebhookView> {
  const now = ctx.now().toISOString();
  const created: WebhookTable = {
    id: newId(),
    url: checkUrl(ctx, input.url),
    description: checkDescription(input.description),
    secret_key: checkSecret(input.secretKey) ?? null,
    event_types: JSON.stringify(checkEventTypes(input.eventTypes)),
    created_at: now,
    updated_at: now,
    drain_owner: null,
    drain_expires_at: null,
  };
  await ctx.store.db.insertInto('webhooks').values(created).execute();
  return toView(created);
}

export async function updateWebhook(ctx: AppContext, id: string, input: WebhookInput): Promise<WebhookView> {
  const existing = await row(ctx, id);
  const secret = checkSecret(input.secretKey);
  const changes = {
    url: checkUrl(ctx, input.url),
    description: checkDescription(input.description),
    event_types: JSON.stringify(checkEventTypes(input.eventTypes)),
    updated_at: ctx.now().toISOString(),
    ...(secret === undefined ? {} : { secret_key: secret }),
  };
  await ctx.store.db.updateTable('webhooks').set(changes).where('id', '=', id).execute();
  return toView({ ...existing, ...changes });
}

/** Deletes the webhook and its deliveries, pending ones included (nothing more is sent to it). */
export async function deleteWebhook(ctx: AppContext, id: string): Promise<void> {
  await row(ctx, id);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await trx.deleteFrom('webhooks').where('id', '=', id).execute();
  });
}

export interface DeliveryView {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** When the next attempt is due; null once delivered or given up. */
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** The event as sent. */
  payload: unknown;
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(ctx: AppContext, id: string, limit: number): Promise<DeliveryView[]> {
  await row(ctx, id);
  const rows = await ctx.store.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', id)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    eventType: r.event_type,
    status: r.status as DeliveryView['status'],
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    payload: JSON.parse(r.body),
  }));
}

export interface TestResult {
  deliveryId: string;
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends a test event to the webhook now and says how it went: a check an administrator runs while
 * setting a receiver up, so it is sent at once (with the webhook's timeout), once, outside the
 * ordered queue of its deliveries and not retried.
 */
export async function testWebhook(ctx: AppContext, id: string): Promise<TestResult> {
  const hook = await row(ctx, id);
  const deliveryId = randomUUID();
  const body = JSON.stringify({
    timestamp: ctx.now().toISOString(),
    initiator: currentInitiator(),
    id: hook.id,
    webhookTest: { webhookId: hook.id, eventTypes: JSON.parse(hook.event_types) as string[], message: 'A test event from Tollgate' },
  });
  const result: SendResult = await sendWebhook({ url: hook.url, secretKey: hook.secret_key, eventType: WEBHOOK_TEST_EVENT, deliveryId, body }, ctx.config.webhooks);
  return { deliveryId, delivered: result.ok, statusCode: result.status ?? null, error: result.error ?? null, durationMs: result.ms };
}
