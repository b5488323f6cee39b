import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { writeCycloneDx } from '../sbom/cyclonedx/write.js';
import { isLockfileName, readLockfile } from '../sbom/lockfiles/index.js';
import { detectSyntax } from '../sbom/read.js';
import { IqClient } from './iq-client.js';

/** What `POST /api/v2/scan/…` takes: the source name and the body's content type. */
export interface Submission {
  source: 'cyclonedx' | 'spdx';
  contentType: string;
  data: string;
}

/**
 * The file as the third-party scan takes it: SBOMs as they are; lockfiles and manifests are read
 * here and sent as CycloneDX 1.6 JSON (so this works against any IQ-compatible server).
 */
export function prepareSubmission(fileName: string, text: string): Submission {
  if (isLockfileName(basename(fileName))) {
    const sbom = readLockfile(basename(fileName), text);
    return { source: 'cyclonedx', contentType: 'application/json', data: writeCycloneDx(sbom, { version: '1.6', space: 0 }) };
  }
  switch (detectSyntax(text)) {
    case 'cyclonedx-json':
      return { source: 'cyclonedx', contentType: 'application/json', data: text };
    case 'cyclonedx-xml':
      return { source: 'cyclonedx', contentType: 'application/xml', data: text };
    case 'spdx-json':
      return { source: 'spdx', contentType: 'application/json', data: text };
    case 'spdx-xml':
      return { source: 'spdx', contentType: 'application/xml', data: text };
    case 'spdx-tag-value':
      return { source: 'spdx', contentType: 'text/plain', data: text };
  }
}

interface Counter {
  critical?: number;
  severe?: number;
  moderate?: number;
}
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

/** The result as a short table for a CI log. */
export function formatResult(app: string, stage: string, result: ScanResult): string {
  const row = (label: string, c: Counter | undefined) =>
    `${label.padEnd(26)}${String(c?.critical ?? 0).padStart(9)}${String(c?.severe ?? 0).padStart(9)}${String(c?.moderate ?? 0).padStart(9)}`;
  return [
    `Application ${app}, stage ${stage}: policy action ${result.policyAction ?? 'None'}`,
    `${''.padEnd(26)}${'critical'.padStart(9)}${'severe'.padStart(9)}${'moderate'.padStart(9)}`,
    row('open policy violations', result.openPolicyViolations),
    row('components affected', result.componentsAffected),
    ...(result.reportHtmlUrl ? [`Report: ${result.reportHtmlUrl}`] : []),
  ].join('\n');
}

/** Exit codes a CI step can act on: 0 pass/warn, 1 policy failure, 2 evaluation error. */
export function exitCodeFor(result: ScanResult): number {
  if (result.isError) return 2;
  return result.policyAction === 'Failure' ? 1 : 0;
}

interface EvaluateOptions {
  app: string;
  stage: string;
  server: string;
  user: string;
  password?: string;
  timeout: string;
  pollInterval: string;
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('evaluate an SBOM, lockfile or manifest against an application’s policies (exit 1 when the policy action is Failure)')
    .argument('<file>', 'CycloneDX or SPDX SBOM, or a lockfile/manifest (package-lock.json, poetry.lock, go.mod, pom.xml, …)')
    .requiredOption('-a, --app <publicId>', 'the application’s public id')
    .option('-s, --stage <stage>', 'develop, build, stage-release, release or operate', 'build')
    .option('--server <url>', 'server URL (or TOLLGATE_URL)', process.env.TOLLGATE_URL ?? 'http://localhost:8070')
    .option('-u, --user <name>', 'username or user code of a token (or TOLLGATE_USER)', process.env.TOLLGATE_USER ?? 'admin')
    .option('-p, --password <secret>', 'password or pass code (default: TOLLGATE_PASSWORD)')
    .option('--timeout <seconds>', 'how long to wait for the result', '600')
    .option('--poll-interval <ms>', 'how often to ask for the result', '1000')
    .action(async (file: string, options: EvaluateOptions) => {
      const password = options.password ?? process.env.TOLLGATE_PASSWORD;
      if (!password) throw new Error('no password: use --password or set TOLLGATE_PASSWORD');
      const submission = prepareSubmission(file, await readFile(file, 'utf8'));
      const client = new IqClient({ server: options.server, username: options.user, password });

      const apps = await client.json<{ applications: Array<{ id: string }> }>('GET', `/api/v2/applications?publicId=${encodeURIComponent(options.app)}`);
      const appId = apps.body.applications[0]?.id;
      if (!appId) throw new Error(`no application with public id "${options.app}" (or the user may not see it)`);

      const ticket = await client.json<{ statusUrl: string }>(
        'POST',
        `/api/v2/scan/applications/${appId}/sources/${submission.source}?stageId=${encodeURIComponent(options.stage)}`,
        { contentType: submission.contentType, data: submission.data },
        [200, 202],
      );
      const result = await waitForResult(client, ticket.body.statusUrl, Number(options.timeout) * 1000, Number(options.pollInterval));
      console.log(formatResult(options.app, options.stage, result));
      if (result.isError) console.error(`evaluation failed: ${result.errorMessage ?? 'no reason given'}`);
      process.exitCode = exitCodeFor(result);
    });
}

/** Polls the status URL (404 while the evaluation runs) until the result comes, showing progress on a terminal. */
async function waitForResult(client: IqClient, statusUrl: string, timeoutMs: number, intervalMs: number): Promise<ScanResult> {
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'evaluating {bar} {duration}s', stream: process.stderr, clearOnComplete: true, hideCursor: true })
    : undefined;
  bar?.start(timeoutMs / 1000, 0);
  try {
    for (;;) {
      const { status, text } = await client.request('GET', statusUrl);
      if (status === 200) return JSON.parse(text) as ScanResult;
      if (status !== 404) throw new Error(`GET ${statusUrl} answered ${status}: ${text.slice(0, 500)}`);
      if (Date.now() - started > timeoutMs) throw new Error(`no result after ${Math.round(timeoutMs / 1000)} s (still running at ${client.url(statusUrl)})`);
      bar?.update((Date.now() - started) / 1000);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    bar?.stop();
  }
}
