import { outboundFetch } from '../../core/outbound-http.js';

/** What creating an issue needs of the Jira configuration (services/admin/jira-config.ts). */
export interface JiraSettings {
  url: string;
  username?: string;
  password?: string;
  /** Fields the project's issue type requires, added to every issue as given. */
  customFields?: Record<string, unknown>;
}

export interface JiraIssue {
  projectKey: string;
  issueTypeId: number;
  summary: string;
  description: string;
}

export interface CreatedIssue {
  id: string;
  key: string;
  self: string;
}

export class JiraError extends Error {}

const TIMEOUT_MS = 20_000;

/**
 * Creates an issue with Jira's REST API (`POST /rest/api/2/issue`, which Jira Cloud, Server and
 * Data Center all have), with Basic authentication (a user and password, or an e-mail and API token
 * on Jira Cloud), through the outbound proxy.
 */
export async function createJiraIssue(settings: JiraSettings, issue: JiraIssue): Promise<CreatedIssue> {
  const url = `${settings.url.replace(/\/+$/, '')}/rest/api/2/issue`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Tollgate' };
  if (settings.username) headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}`;
  const body = {
    fields: {
      ...(settings.customFields ?? {}),
      project: { key: issue.projectKey },
      issuetype: { id: String(issue.issueTypeId) },
      summary: issue.summary.slice(0, 250),
      description: issue.description,
    },
  };
  let response: Response;
  try {
    response = await outboundFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new JiraError(`Jira at ${settings.url} could not be reached: ${reason}`);
  }
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200) {
    // Jira explains refusals as {errorMessages: [...], errors: {field: message}}.
    let explanation = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
      explanation = [...(parsed.errorMessages ?? []), ...Object.entries(parsed.errors ?? {}).map(([k, v]) => `${k}: ${v}`)].join('; ') || explanation;
    } catch {
      // not JSON: the text as it came
    }
    throw new JiraError(`Jira at ${settings.url} refused to create an issue in ${issue.projectKey}: HTTP ${response.status}${explanation ? ` ${explanation}` : ''}`);
  }
  try {
    const created = JSON.parse(text) as CreatedIssue;
    if (typeof created.key !== 'string') throw new Error('no key');
    return { id: String(created.id), key: created.key, self: String(created.self) };
  } catch {
    throw new JiraError(`Jira at ${settings.url} answered the issue creation with something else than an issue: ${text.slice(0, 200)}`);
  }
}
