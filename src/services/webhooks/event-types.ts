/**
 * The webhook event types, with IQ Server's ids (its WebhookEventType: `iq:policyAlert` is the
 * Violation Alert's id). `iq:violationAlert` is accepted as another spelling of it and stored as
 * `iq:policyAlert`. Policy waivers, which IQ sends to no webhook, are Tollgate's own type, named in
 * IQ's style.
 */
export const WEBHOOK_EVENT_TYPES = {
  'iq:applicationEvaluation': 'Application Evaluation',
  'iq:policyManagement': 'Policy Management',
  'iq:policyAlert': 'Violation Alert',
  'iq:licenseOverrideManagement': 'License Override Management',
  'iq:securityVulnerabilityOverrideManagement': 'Security Vulnerability Override Management',
  'iq:policyWaiverManagement': 'Policy Waiver Management',
  'iq:waiverExpiration': 'Waiver Expiration',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

const ALIASES: Record<string, WebhookEventType> = { 'iq:violationAlert': 'iq:policyAlert' };

/** The event type an id names (aliases included), or undefined. */
export function webhookEventType(id: string): WebhookEventType | undefined {
  if (Object.hasOwn(WEBHOOK_EVENT_TYPES, id)) return id as WebhookEventType;
  return ALIASES[id];
}

/** What `POST /api/v2/webhooks/{id}/test` sends: a type no change raises. */
export const WEBHOOK_TEST_EVENT = 'iq:webhookTest';

/** Policy Management payloads name what changed (IQ's PolicyManagementType). */
export type PolicyManagementType =
  | 'ORGANIZATION'
  | 'APPLICATION'
  | 'APPLICATION_CATEGORY'
  | 'LABEL'
  | 'LICENSE_THREAT_GROUP'
  | 'POLICY'
  | 'ACCESS';

export type ManagementAction = 'CREATE' | 'UPDATE' | 'DELETE';
