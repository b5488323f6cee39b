import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  testWebhook,
  updateWebhook,
  type WebhookInput,
} from '../services/webhooks/webhooks.js';
import { errorResponses } from './dto/common.js';
import { WebhookDeliveryDTO, WebhookDTO, WebhookInputDTO, WebhookTestResultDTO } from './dto/webhooks.js';

const tags = ['Webhooks'];
const description = 'Permissions required: Edit System Configuration and Users';
const IdParams = Type.Object({ id: Type.String() });
// Webhooks are the system's, as in IQ Server, where System Administrators manage them.
const permission = requires('CONFIGURE_SYSTEM');

export default async function webhookRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/webhooks',
    {
      schema: { tags, summary: 'The lifecycle webhooks', description, response: { 200: Type.Array(WebhookDTO), ...errorResponses } },
      config: { tollgate: true, permission },
    },
    async () => listWebhooks(app.ctx),
  );

  app.post(
    '/api/v2/webhooks',
    {
      schema: { tags, summary: 'Add a webhook', description, body: WebhookInputDTO, response: { 201: WebhookDTO, ...errorResponses } },
      config: { tollgate: true, audit: 'webhook.create', permission },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(app.ctx, request.body as WebhookInput)),
  );

  app.get(
    '/api/v2/webhooks/:id',
    {
      schema: { tags, summary: 'A webhook', description, params: IdParams, response: { 200: WebhookDTO, ...errorResponses } },
      config: { tollgate: true, permission },
    },
    async (request) => getWebhook(app.ctx, request.params.id),
  );

  app.put(
    '/api/v2/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change a webhook (an absent secretKey is kept)',
        description,
        params: IdParams,
        body: WebhookInputDTO,
        response: { 200: WebhookDTO, ...errorResponses },
      },
      config: { tollgate: true, audit: 'webhook.update', permission },
    },
    async (request) => updateWebhook(app.ctx, request.params.id, request.body as WebhookInput),
  );

  app.delete(
    '/api/v2/webhooks/:id',
    {
      schema: { tags, summary: 'Delete a webhook and its pending deliveries', description, params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
      config: { tollgate: true, audit: 'webhook.delete', permission },
    },
    async (request, reply) => {
      await deleteWebhook(app.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v2/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first: event, attempts, last status, next retry",
        description,
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
        response: { 200: Type.Array(WebhookDeliveryDTO), ...errorResponses },
      },
      config: { tollgate: true, permission },
    },
    async (request) => listDeliveries(app.ctx, request.params.id, request.query.limit ?? 100),
  );

  app.post(
    '/api/v2/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test event (iq:webhookTest) now and say how the receiver answered',
        description,
        params: IdParams,
        response: { 200: WebhookTestResultDTO, ...errorResponses },
      },
      config: { tollgate: true, audit: 'webhook.test', permission },
    },
    async (request) => testWebhook(app.ctx, request.params.id),
  );
}
