import { type DeliveryResult, deliverPolicyNotifications } from '../../services/notifications/deliver.js';
import { POLICY_NOTIFICATION_JOB, type PolicyNotificationPayload } from '../../services/notifications/new-violations.js';
import type { JobHandler } from '../types.js';

/**
 * Sends the mails and creates the Jira issues an evaluation's new violations call for
 * (services/notifications/). Queued in the transaction that stores the report, so a stored report
 * always has its notifications coming and the evaluation never waits for a mail server or Jira.
 * One at a time, in a lane of its own: slow mail servers never hold a slot evaluations wait for.
 */
const policyNotifications: JobHandler<PolicyNotificationPayload, DeliveryResult> = {
  type: POLICY_NOTIFICATION_JOB,
  concurrency: 1,
  run(payload, job) {
    return deliverPolicyNotifications(job.ctx, payload, (p) => job.progress(p));
  },
};

export default policyNotifications;
