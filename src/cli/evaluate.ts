import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { STAGES } from '../policy/model.js';
import { type ConnectionOptions, connect, positiveNumber, withConnectionOptions } from './connection.js';
import { formatOutcome, type Outcome, outcomeDocument } from './evaluate-output.js';
import { CliError, EXIT, usageErrorsExitWith } from './exit.js';
import type { IqClient } from './iq-client.js';
import { fetchReportDetails } from './report-details.js';
import { absoluteReportUrl, exitCodeFor, waitForResult } from './scan-result.js';
import { submitScanWithRetries } from './submit-scan.js';

interface EvaluateOptions extends ConnectionOptions {
  app: string;
  stage: string;
  json?: boolean;
  timeout: number;
  pollInterval: number;
}

/** The application's internal id, which the scan takes, from its public id. */
async function applicationId(client: IqClient, publicId: string): Promise<string> {
  const apps = await client.json<{ applications?: Array<{ id: string; publicId?: string }> }>('GET', `/api/v2/applications?publicId=${encodeURIComponent(publicId)}`);
  const found = apps.body?.applications?.find((a) => a.publicId === undefined || a.publicId === publicId);
  if (!found) {
    throw new Error(`no application with public id "${publicId}" (or the user may not see it): create it with \`tollgate app create ${publicId}\``);
  }
  return found.id;
}

/** Submits the file, waits for the result and reads the report's details. Anything that stops it throws. */
async function evaluate(file: string, options: EvaluateOptions): Promise<Outcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // The SBOM and lockfile readers load only when a file is evaluated (not for `--help` or `serve`).
  const { prepareSubmission } = await import('./submission.js');
  const submission = prepareSubmission(file, text);
  const client = connect(options, EXIT.couldNotRun);
  const appId = await applicationId(client, options.app);
  const ticket = await submitScanWithRetries(
    client,
    `/api/v2/scan/applications/${encodeURIComponent(appId)}/sources/${submission.source}?stageId=${encodeURIComponent(options.stage)}`,
    { contentType: submission.contentType, data: submission.data },
  );
  const result = await waitForResult(client, ticket.statusUrl, options.timeout * 1000, options.pollInterval);
  if (result.isError) throw new Error(`the evaluation failed: ${result.errorMessage ?? 'no reason given'}`);
  const [reportUrl, details] = await Promise.all([absoluteReportUrl(client, result.reportHtmlUrl), fetchReportDetails(client, appId, result.reportDataUrl)]);
  return { application: options.app, stage: options.stage, result, exitCode: exitCodeFor(result), reportUrl, details };
}

export function evaluateCommand(): Command {
  const command = new Command('evaluate')
    .description(
      'evaluate an SBOM, lockfile or manifest against an application’s policies on a server; ' +
        'exit 0 when the policy passes or warns, 1 when it fails, 2 when the evaluation could not run',
    )
    .argument('<file>', 'CycloneDX or SPDX SBOM, or a lockfile/manifest (package-lock.json, poetry.lock, go.mod, pom.xml, …)')
    .requiredOption('-a, --app <publicId>', 'the application’s public id')
    .addOption(new Option('-s, --stage <stage>', 'the lifecycle stage whose policy actions apply').choices(STAGES).default('build'))
    .option('--json', 'print one JSON document: policy action, counts, violations, report URL')
    .option('--timeout <seconds>', 'how long to wait for the result', positiveNumber, 600)
    .option('--poll-interval <ms>', 'how often to ask for the result', positiveNumber, 1000);
  withConnectionOptions(command);
  usageErrorsExitWith(command, EXIT.couldNotRun);
  return command.action(async (file: string, options: EvaluateOptions) => {
    let outcome: Outcome;
    try {
      outcome = await evaluate(file, options);
    } catch (err) {
      const message = (err as Error).message;
      if (options.json) console.log(JSON.stringify({ application: options.app, stage: options.stage, error: message, exitCode: EXIT.couldNotRun }, null, 2));
      throw new CliError(message, err instanceof CliError ? err.exitCode : EXIT.couldNotRun);
    }
    console.log(options.json ? JSON.stringify(outcomeDocument(outcome), null, 2) : formatOutcome(outcome));
    process.exitCode = outcome.exitCode;
  });
}
