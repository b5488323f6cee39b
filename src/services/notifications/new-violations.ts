import type { ReportData } from '../../evaluation/report.js';
import type { PolicyNotifications } from '../../policy/model.js';
import type { AppContext } from '../../core/context.js';
import { JobQueueFullError } from '../../jobs/errors.js';
import { submitJob } from '../../jobs/queue.js';
import { ownerChain } from '../access/access.js';
import { effectiveBaseUrl } from '../admin/system-config.js';
import { reportUrls } from '../reports/report-links.js';
import type { JiraIssue } from './jira-client.js';
import type { MailMessage } from './mailer.js';

/**
 * Policy notifications (the reference's Notifications on a policy): after an evaluation, the
 * violations that are new — of a policy with notifications at the evaluated stage, and not in the
 * previous report of that application and stage — are told to the policy's recipients: one mail per
 * recipient per evaluation listing the new violations of the policies that name them, and a Jira
 * issue per new violation for each Jira entry. Everything is worked out before the report is
 * stored, from the database as it is; the evaluation then queues the result as one job in the
 * transaction that stores the report (jobs/handlers/policy-notifications.ts sends it).
 */
export const POLICY_NOTIFICATION_JOB = 'policy-notifications';

/** A mail lists at most this many violations; the report has them all. */
const MAX_LISTED = 100;
/** At most this many Jira issues per evaluation: a first evaluation of a large application must not flood a project. */
export const MAX_JIRA_ISSUES = 200;

export interface PolicyNotificationPayload {
  applicationId: string;
  reportId: string;
  mails: MailMessage[];
  jiraIssues: JiraIssue[];
  /** Deliveries the job tried before (its follow-up jobs count on). */
  round?: number;
}

interface NewViolation {
  policyId: string;
  policyName: string;
  threatLevel: number;
  component: string;
  reasons: string[];
}

const applies = (entry: { stageIds?: string[] }, stage: string) => (entry.stageIds ?? []).includes(stage);

/** The users (with an e-mail address) who hold `roleId` on the application or anywhere above it. */
async function roleRecipients(ctx: AppContext, applicationId: string, roleIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!roleIds.length) return out;
  const chain = new Set((await ownerChain(ctx.store, { type: 'application', id: applicationId })).map(([t, id]) => `${t}\u0000${id}`));
  const rows = await ctx.store.db
    .selectFrom('role_memberships as m')
    .innerJoin('users as u', 'u.username', 'm.member_name')
    .select(['m.role_id', 'm.owner_type', 'm.owner_id', 'u.email'])
    .where('m.member_type', '=', 'USER')
    .where('m.role_id', 'in', roleIds)
    .where('u.email', 'is not', null)
    .execute();
  for (const r of rows) {
    if (!r.email || !chain.has(`${r.owner_type}\u0000${r.owner_id}`)) continue;
    out.set(r.role_id, [...(out.get(r.role_id) ?? []), r.email]);
  }
  return out;
}

/**
 * What to send for an evaluation about to be stored as report `reportId`, or undefined when there is
 * nothing: no policy with notifications at this stage, or no new violation of one.
 */
export async function plannedNotifications(
  ctx: AppContext,
  input: { applicationId: string; stage: string; reportId: string; data: ReportData },
): Promise<PolicyNotificationPayload | undefined> {
  const { applicationId, stage, reportId, data } = input;
  const violated = new Set<string>();
  for (const c of data.components) for (const v of c.violations) violated.add(v.policyId);
  if (!violated.size) return undefined;
  const notifying = new Map<string, PolicyNotifications>();
  for (const row of await ctx.store.db
    .selectFrom('policies')
    .select(['id', 'notifications'])
    .where('id', 'in', [...violated])
    .where('notifications', 'is not', null)
    .execute()) {
    const n = JSON.parse(row.notifications!) as PolicyNotifications;
    const at = { ...n, userNotifications: n.userNotifications?.filter((e) => applies(e, stage)), roleNotifications: n.roleNotifications?.filter((e) => applies(e, stage)), jiraNotifications: n.jiraNotifications?.filter((e) => applies(e, stage)) };
    if (at.userNotifications?.length || at.roleNotifications?.length || at.jiraNotifications?.length) notifying.set(row.id, at);
  }
  if (!notifying.size) return undefined;

  // What the previous report of this application and stage already had: (policy, component) pairs.
  const previous = await ctx.store.db
    .selectFrom('reports')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('stage', '=', stage)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const known = new Set<string>();
  if (previous) {
    const rows = await ctx.store.db
      .selectFrom('report_policy_violations')
      .select(['policy_id', 'component_keys'])
      .where('report_id', '=', previous.id)
      .where('policy_id', 'in', [...notifying.keys()])
      .execute();
    for (const r of rows) for (const key of JSON.parse(r.component_keys) as string[]) known.add(`${r.policy_id}\u0000${key}`);
  }
  const fresh = new Map<string, NewViolation[]>();
  for (const c of data.components) {
    for (const v of c.violations) {
      if (v.waived || !notifying.has(v.policyId) || known.has(`${v.policyId}\u0000${c.packageUrl ?? c.hash}`)) continue;
      const reasons = v.constraints.flatMap((k) => k.conditions.map((d) => d.reason)).filter(Boolean);
      const entry = { policyId: v.policyId, policyName: v.policyName, threatLevel: v.policyThreatLevel, component: c.displayName || c.packageUrl || c.hash, reasons };
      fresh.set(v.policyId, [...(fresh.get(v.policyId) ?? []), entry]);
    }
  }
  if (!fresh.size) return undefined;

  const app = await ctx.store.db.selectFrom('applications').select(['public_id', 'name']).where('id', '=', applicationId).executeTakeFirstOrThrow();
  const reportUrl = `${(await effectiveBaseUrl(ctx)).url}/${reportUrls(app.public_id, reportId).reportHtmlUrl}`;
  const roles = await roleRecipients(ctx, applicationId, [...new Set([...notifying.values()].flatMap((n) => n.roleNotifications?.map((r) => r.roleId) ?? []))]);

  // Each recipient's new violations, over every policy that names them (by address or by role).
  const byRecipient = new Map<string, NewViolation[]>();
  const jiraIssues: JiraIssue[] = [];
  for (const [policyId, violations] of fresh) {
    const n = notifying.get(policyId)!;
    const addresses = new Set([...(n.userNotifications ?? []).map((u) => u.emailAddress.toLowerCase()), ...(n.roleNotifications ?? []).flatMap((r) => (roles.get(r.roleId) ?? []).map((e) => e.toLowerCase()))]);
    for (const to of addresses) byRecipient.set(to, [...(byRecipient.get(to) ?? []), ...violations]);
    for (const jira of n.jiraNotifications ?? []) {
      for (const v of violations) {
        if (jiraIssues.length >= MAX_JIRA_ISSUES) break;
        jiraIssues.push({
          projectKey: jira.projectKey,
          issueTypeId: jira.issueTypeId,
          summary: `${v.policyName} violation: ${v.component} in ${app.name}`,
          description: [
            `Tollgate found a new violation of policy "${v.policyName}" (threat level ${v.threatLevel}) in application ${app.name} (${app.public_id}) at stage ${stage}.`,
            '',
            `Component: ${v.component}`,
            ...v.reasons.map((r) => `* ${r}`),
            '',
            `Report: ${reportUrl}`,
          ].join('\n'),
        });
      }
    }
  }
  const mails: MailMessage[] = [...byRecipient].map(([to, violations]) => ({ to, ...mailText(app, stage, reportUrl, violations) }));
  if (!mails.length && !jiraIssues.length) return undefined;
  return { applicationId, reportId, mails, jiraIssues };
}

function mailText(app: { name: string; public_id: string }, stage: string, reportUrl: string, violations: NewViolation[]): { subject: string; text: string } {
  const sorted = [...violations].sort((a, b) => b.threatLevel - a.threatLevel || a.policyName.localeCompare(b.policyName) || a.component.localeCompare(b.component));
  const count = `${violations.length} new policy violation${violations.length === 1 ? '' : 's'}`;
  const lines = sorted.slice(0, MAX_LISTED).map((v) => `- ${v.policyName} (threat level ${v.threatLevel}): ${v.component}`);
  if (sorted.length > MAX_LISTED) lines.push(`… and ${sorted.length - MAX_LISTED} more in the report.`);
  return {
    subject: `Tollgate: ${count} in ${app.name} (${stage})`,
    text: [
      `The evaluation of ${app.name} (${app.public_id}) at stage ${stage} found ${count} of policies that notify you:`,
      '',
      ...lines,
      '',
      `Report: ${reportUrl}`,
      '',
      'You receive this because a policy names you or one of your roles in its notifications.',
    ].join('\n'),
  };
}

/**
 * Queues the notifications' job; `ctx` runs on the transaction that stores the report. A full queue
 * loses them with an error in the log rather than failing the evaluation.
 */
export async function queuePolicyNotifications(ctx: AppContext, payload: PolicyNotificationPayload): Promise<void> {
  try {
    await submitJob(ctx, { type: POLICY_NOTIFICATION_JOB, payload, owner: { type: 'application', id: payload.applicationId } });
  } catch (err) {
    if (!(err instanceof JobQueueFullError)) throw err;
    ctx.log.error({ reportId: payload.reportId, mails: payload.mails.length, jiraIssues: payload.jiraIssues.length }, `policy notifications not queued: ${err.message}`);
  }
}
