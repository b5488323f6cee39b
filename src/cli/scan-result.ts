import { SingleBar } from 'cli-progress';
import { EXIT } from './exit.js';
import type { IqClient } from './iq-client.js';
import { IqRequestError } from './iq-client.js';

/** The reference's ApiEvaluationResultCounterDTO. */
export interface Counter {
  critical?: number;
  severe?: number;
  moderate?: number;
}

/** The reference's ApiThirdPartyScanResultDTO, as far as the client reads it. */
export interface ScanResult {
  policyAction?: string;
  reportHtmlUrl?: string;
  reportDataUrl?: string;
  isError?: boolean;
  errorMessage?: string;
  componentsAffected?: Counter;
  openPolicyViolations?: Counter;
  grandfatheredPolicyViolations?: number;
  legacyViolations?: number;
}

/** Exit codes a CI step can act on: 0 pass/warn, 1 policy failure, 2 evaluation error. */
export function exitCodeFor(result: ScanResult): number {
  if (result.isError) return EXIT.couldNotRun;
  return result.policyAction === 'Failure' ? EXIT.policyFailure : EXIT.pass;
}

/** Polls the status URL (404 while the evaluation runs) until the result comes, showing progress on a terminal. */
export async function waitForResult(client: IqClient, statusUrl: string, timeoutMs: number, intervalMs: number): Promise<ScanResult> {
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'evaluating {bar} {duration}s', stream: process.stderr, clearOnComplete: true, hideCursor: true })
    : undefined;
  bar?.start(timeoutMs / 1000, 0);
  try {
    for (;;) {
      const { status, text } = await client.request('GET', statusUrl);
      if (status === 200) return JSON.parse(text) as ScanResult;
      if (status !== 404) throw new IqRequestError(`GET ${statusUrl} answered ${status}: ${text.slice(0, 500)}`, status);
      if (Date.now() - started > timeoutMs) {
        throw new IqRequestError(`no result after ${Math.round(timeoutMs / 1000)} s (still running at ${client.url(statusUrl)})`, 0);
      }
      bar?.update((Date.now() - started) / 1000);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    bar?.stop();
  }
}

/**
 * The report page as an absolute URL a person can open from a CI log: the server answers it
 * relative (`ui/links/…`, as the reference writes it), so it is resolved against the server's
 * baseUrl when an administrator set one, else against the URL the client talked to.
 */
export async function absoluteReportUrl(client: IqClient, reportHtmlUrl: string | undefined): Promise<string | undefined> {
  if (!reportHtmlUrl) return undefined;
  if (/^https?:\/\//.test(reportHtmlUrl)) return reportHtmlUrl;
  let base = client.url('');
  try {
    const config = await client.json<{ baseUrl?: string | null }>('GET', '/api/v2/config?property=baseUrl');
    if (config.body?.baseUrl) base = config.body.baseUrl;
  } catch {
    // An older server or one that keeps its configuration private: the client's own URL will do.
  }
  return new URL(reportHtmlUrl.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`).href;
}
