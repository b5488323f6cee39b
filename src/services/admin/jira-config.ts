import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import type { JiraSettings } from '../notifications/jira-client.js';
import { deleteSetting, getSetting, putSetting } from './settings.js';
import { keptPassword, optionalString, withStored } from './connection-fields.js';

/**
 * The reference's Jira configuration (Config Jira): the server policy notifications create issues
 * on. The password (or API token) is stored for Basic authentication and never returned, although
 * the reference's description says GET includes it.
 */
export const JIRA_SETTING = 'config.jira';

export interface JiraInput {
  url?: unknown;
  username?: unknown;
  password?: unknown;
  customFields?: unknown;
}

function checkUrl(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ValidationError('url is required: the address of the Jira server, such as https://example.atlassian.net');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ValidationError(`url must be an absolute http(s) URL such as https://example.atlassian.net, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`url must use http or https, got ${JSON.stringify(value)}`);
  if (url.username || url.password) throw new ValidationError('url must not hold credentials: give username and password instead');
  if (url.search || url.hash) throw new ValidationError('url must not have a query or a fragment');
  return url.toString().replace(/\/+$/, '');
}

function checkCustomFields(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('customFields must be an object of Jira field ids and values');
  for (const key of Object.keys(value)) {
    if (['project', 'issuetype', 'summary', 'description'].includes(key)) {
      throw new ValidationError(`customFields cannot set ${key}: Tollgate fills it from the policy's notification and the violation`);
    }
  }
  return Object.keys(value).length ? (value as Record<string, unknown>) : undefined;
}

export async function getJiraSettings(db: Kysely<Database>): Promise<JiraSettings | undefined> {
  return getSetting<JiraSettings>(db, JIRA_SETTING);
}

export async function readJiraConfig(ctx: AppContext) {
  const config = await getJiraSettings(ctx.store.db);
  if (!config) throw new NotFoundError('No Jira configuration exists.');
  return { url: config.url, ...(config.username ? { username: config.username } : {}), customFields: config.customFields ?? {} };
}

/** Sets the values given (the others stay); a changed url needs the password again when one is stored. */
export async function saveJiraConfig(ctx: AppContext, given: JiraInput): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const previous = await getJiraSettings(trx);
    const input = withStored(given, previous);
    const url = checkUrl(input.url);
    const username = optionalString(input.username, 'username');
    const customFields = checkCustomFields(input.customFields);
    const password = keptPassword(input, previous, previous?.url === url, 'url');
    const settings: JiraSettings = { url, ...(username ? { username } : {}), ...(password ? { password } : {}), ...(customFields ? { customFields } : {}) };
    await putSetting(trx, JIRA_SETTING, settings, ctx.now().toISOString());
  });
}

/** Removes the configuration (204 also when there was none, as the reference documents no 404). */
export async function deleteJiraConfig(ctx: AppContext): Promise<void> {
  await deleteSetting(ctx.store.db, JIRA_SETTING);
}
