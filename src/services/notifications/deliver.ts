import { announceJobQueued, submitJob } from '../../jobs/queue.js';
import type { AppContext } from '../../core/context.js';
import { getJiraSettings } from '../admin/jira-config.js';
import { getMailSettings } from '../admin/mail-config.js';
import { createJiraIssue } from './jira-client.js';
import { sendMail } from './mailer.js';
import { POLICY_NOTIFICATION_JOB, type PolicyNotificationPayload } from './new-violations.js';

export interface DeliveryResult {
  mailsSent: number;
  issuesCreated: string[];
  /** Deliveries that failed this round and were queued again (their job), or given up. */
  failed: string[];
  retryJobId?: string;
  skipped?: string[];
}

/** Rounds after the first; waits between them double from a minute (about an hour in all). */
const MAX_ROUNDS = 6;
const FIRST_WAIT_MS = 60_000;

/**
 * Sends what an evaluation's policy notifications planned (new-violations.ts). Each delivery is
 * tried once per round; the ones that fail are queued again as a new job after a back-off, so a
 * retry never mails a recipient or creates an issue twice. Without a mail or Jira configuration,
 * that part is skipped and said so in the job's result and the log.
 */
export async function deliverPolicyNotifications(
  ctx: AppContext,
  payload: PolicyNotificationPayload,
  progress: (p: { done: number; total: number; message?: string }) => Promise<void>,
): Promise<DeliveryResult> {
  const result: DeliveryResult = { mailsSent: 0, issuesCreated: [], failed: [] };
  const retry: PolicyNotificationPayload = { ...payload, mails: [], jiraIssues: [], round: (payload.round ?? 0) + 1 };
  const total = payload.mails.length + payload.jiraIssues.length;
  let done = 0;
  const skip = (why: string) => {
    result.skipped = [...(result.skipped ?? []), why];
    ctx.log.warn({ reportId: payload.reportId }, why);
  };

  if (payload.mails.length) {
    const smtp = await getMailSettings(ctx.store.db);
    if (!smtp) skip(`${payload.mails.length} policy notification mail(s) not sent: no SMTP server is configured (PUT /api/v2/config/mail)`);
    for (const mail of smtp ? payload.mails : []) {
      try {
        await sendMail(smtp!, mail);
        result.mailsSent++;
      } catch (err) {
        result.failed.push(`mail to ${mail.to}: ${(err as Error).message}`);
        retry.mails.push(mail);
      }
      await progress({ done: ++done, total });
    }
  }
  if (payload.jiraIssues.length) {
    const jira = await getJiraSettings(ctx.store.db);
    if (!jira) skip(`${payload.jiraIssues.length} Jira issue(s) not created: Jira is not configured (PUT /api/v2/config/jira)`);
    for (const issue of jira ? payload.jiraIssues : []) {
      try {
        result.issuesCreated.push((await createJiraIssue(jira!, issue)).key);
      } catch (err) {
        result.failed.push(`Jira issue in ${issue.projectKey}: ${(err as Error).message}`);
        retry.jiraIssues.push(issue);
      }
      await progress({ done: ++done, total });
    }
  }
  if (result.failed.length) {
    const round = retry.round ?? 1;
    if (round > MAX_ROUNDS) {
      ctx.log.error({ reportId: payload.reportId, failed: result.failed }, `policy notifications given up after ${MAX_ROUNDS + 1} rounds`);
    } else {
      const job = await submitJob(ctx, {
        type: POLICY_NOTIFICATION_JOB,
        payload: retry,
        owner: { type: 'application', id: payload.applicationId },
        runAfter: new Date(ctx.now().getTime() + FIRST_WAIT_MS * 2 ** (round - 1)),
      });
      announceJobQueued();
      result.retryJobId = job.id;
      ctx.log.warn({ reportId: payload.reportId, failed: result.failed, retryJobId: job.id }, 'some policy notifications failed; they are tried again later');
    }
  }
  return result;
}
