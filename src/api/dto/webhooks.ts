import { Type } from 'typebox';

/** Tollgate's webhook DTOs (the reference has no webhook operations). */

export const WebhookEventTypeId = Type.String({
  description: 'An event type id: iq:applicationEvaluation, iq:policyManagement, iq:policyAlert (iq:violationAlert), iq:licenseOverrideManagement, iq:securityVulnerabilityOverrideManagement, iq:policyWaiverManagement, iq:waiverExpiration',
});

export const WebhookInputDTO = Type.Object(
  {
    url: Type.String({ description: 'Where events are POSTed (http or https)' }),
    description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    secretKey: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'Signs each body (X-Nexus-Webhook-Signature, HMAC-SHA1). Write-only: never returned. On an update, absent keeps it and null or "" removes it.',
        writeOnly: true,
      }),
    ),
    eventTypes: Type.Array(WebhookEventTypeId, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const WebhookDTO = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  eventTypes: Type.Array(Type.String()),
  hasSecretKey: Type.Boolean({ description: 'Whether bodies are signed; the key itself is never returned' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const WebhookDeliveryDTO = Type.Object({
  id: Type.String({ description: 'The X-Nexus-Webhook-Delivery header: the same on every attempt' }),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: "The receiver's HTTP status on the last attempt" }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()], { description: 'When it is tried next, while pending' }),
  createdAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown({ description: 'The event as sent' }),
});

export const WebhookTestResultDTO = Type.Object({
  deliveryId: Type.String(),
  delivered: Type.Boolean(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
});
