import type { Kysely } from 'kysely';
import { EXTRA_STAGES, type PolicyNotifications, STAGES } from '../../policy/model.js';
import type { Database } from '../../store/schema.js';
import { checkEmail } from '../admin/connection-fields.js';

/**
 * A policy's notifications as clients send them (Tollgate's policy API, the policy import), checked
 * and made canonical: stage ids known and each once, e-mail addresses valid, roles existing (named by
 * id, or by name as an export from another server has them), Jira project keys and issue type ids
 * as Jira writes them. No entry at all is no notifications.
 */
const STAGE_IDS = new Set<string>([...STAGES, ...EXTRA_STAGES]);
/** Jira's default project key pattern: a capital letter, then capitals, digits or underscores. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

type Entry = Record<string, unknown>;

export interface NotificationCheck {
  /** Refusals: the policy is not stored. */
  problems: string[];
  /**
   * When given, entries that cannot apply here (a role this server does not have) are dropped and
   * listed here instead of refused: what an import from another server does.
   */
  warnings?: string[];
}

function list(value: unknown, field: string, problems: string[]): Entry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    problems.push(`notifications.${field} must be a list of objects`);
    return [];
  }
  return value as Entry[];
}

function stages(value: unknown, at: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) {
    problems.push(`${at}.stageIds must be a list of stage ids`);
    return [];
  }
  const unknown = value.filter((s) => !STAGE_IDS.has(s));
  if (unknown.length) problems.push(`${at}.stageIds: unknown stage ${unknown.map((s) => `"${s}"`).join(', ')} (stages are ${STAGES.join(', ')})`);
  return [...new Set(value as string[])];
}

export async function checkNotifications(db: Kysely<Database>, value: unknown, where: string, check: NotificationCheck): Promise<PolicyNotifications | undefined> {
  if (value === undefined || value === null) return undefined;
  const { problems } = check;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}notifications must be an object`);
    return undefined;
  }
  const input = value as Entry;
  const out: PolicyNotifications = {};

  const users = list(input.userNotifications, 'userNotifications', problems).map((e, i) => {
    const at = `${where}notifications.userNotifications[${i}]`;
    let emailAddress = '';
    try {
      emailAddress = checkEmail(e.emailAddress, `${at}.emailAddress`);
    } catch (err) {
      problems.push((err as Error).message);
    }
    return { emailAddress, stageIds: stages(e.stageIds, at, problems) };
  });
  if (users.length) out.userNotifications = users;

  const roleEntries = list(input.roleNotifications, 'roleNotifications', problems);
  if (roleEntries.length) {
    const roles = await db.selectFrom('roles').select(['id', 'name']).execute();
    const byId = new Map(roles.map((r) => [r.id, r]));
    const byName = new Map(roles.map((r) => [r.name.toLowerCase(), r]));
    const kept: NonNullable<PolicyNotifications['roleNotifications']> = [];
    roleEntries.forEach((e, i) => {
      const at = `${where}notifications.roleNotifications[${i}]`;
      const role = (typeof e.roleId === 'string' && byId.get(e.roleId)) || (typeof e.roleName === 'string' && byName.get(e.roleName.toLowerCase())) || undefined;
      const stageIds = stages(e.stageIds, at, problems);
      if (role) kept.push({ roleId: role.id, roleName: role.name, stageIds });
      else if (check.warnings) check.warnings.push(`${at}: no role ${JSON.stringify(e.roleName ?? e.roleId)} here, so its notification was left out`);
      else problems.push(`${at}: no role with id ${JSON.stringify(e.roleId)}`);
    });
    if (kept.length) out.roleNotifications = kept;
  }

  const jira = list(input.jiraNotifications, 'jiraNotifications', problems).map((e, i) => {
    const at = `${where}notifications.jiraNotifications[${i}]`;
    if (typeof e.projectKey !== 'string' || !PROJECT_KEY.test(e.projectKey)) problems.push(`${at}.projectKey must be a Jira project key such as SEC, got ${JSON.stringify(e.projectKey)}`);
    if (typeof e.issueTypeId !== 'number' || !Number.isInteger(e.issueTypeId) || e.issueTypeId < 1) {
      problems.push(`${at}.issueTypeId must be the id of a Jira issue type (a positive whole number), got ${JSON.stringify(e.issueTypeId)}`);
    }
    return { projectKey: String(e.projectKey), issueTypeId: Number(e.issueTypeId), stageIds: stages(e.stageIds, at, problems) };
  });
  if (jira.length) out.jiraNotifications = jira;

  // A webhook subscribed to iq:policyAlert gets the Violation Alert of a policy only when the
  // policy names it here, at the stages given (IQ's semantics; services/webhooks/evaluation-events.ts).
  const webhookEntries = list(input.webhookNotifications, 'webhookNotifications', problems);
  if (webhookEntries.length) {
    const known = new Set((await db.selectFrom('webhooks').select('id').execute()).map((w) => w.id));
    const kept: NonNullable<PolicyNotifications['webhookNotifications']> = [];
    webhookEntries.forEach((e, i) => {
      const at = `${where}notifications.webhookNotifications[${i}]`;
      const stageIds = stages(e.stageIds, at, problems);
      if (typeof e.webhookId !== 'string' || e.webhookId === '') problems.push(`${at}.webhookId must be the id of a webhook`);
      else if (known.has(e.webhookId)) kept.push({ webhookId: e.webhookId, stageIds });
      else if (check.warnings) check.warnings.push(`${at}: no webhook ${JSON.stringify(e.webhookId)} here, so its notification was left out`);
      else problems.push(`${at}: no webhook with id ${JSON.stringify(e.webhookId)}`);
    });
    if (kept.length) out.webhookNotifications = kept;
  }

  return Object.keys(out).length ? out : undefined;
}
