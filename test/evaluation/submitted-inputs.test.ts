import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getReport } from '../../src/services/reports/reports.js';
import { takeSubmittedInput } from '../../src/services/evaluation/submitted-inputs.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { createApplication } from './scan.js';
import { cycloneDxJson } from './sboms.js';

/**
 * The SBOM read at submission is handed to the job in the same process; a job that does not find
 * it (run by another process, or after a restart) reads the stored text, with the same result.
 */
let server: TestServer;
let appId: string;
beforeAll(async () => {
  // Offline: the second scan would otherwise have the registry metadata the first one queued for fetching.
  server = await startTestServer({ registries: { offline: true } });
  appId = await createApplication(server, 'handoff');
});
afterAll(async () => {
  await server?.close();
});

const SBOM = cycloneDxJson([
  { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'WTFPL' },
  { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', license: 'MIT' },
]);

async function scan(dropKept: boolean) {
  const submitted = await server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx?stageId=build`, { raw: { contentType: 'application/json', data: SBOM } });
  expect(submitted.status, submitted.text).toBe(202);
  const requestId = String(submitted.body.statusUrl).split('/').at(-1)!;
  if (dropKept) expect(takeSubmittedInput(requestId)).toBeDefined();
  await server.jobs.drain();
  const done = await server.request('GET', `/${submitted.body.statusUrl}`);
  expect(done.status, done.text).toBe(200);
  const scanId = String(done.body.reportDataUrl).split('/').at(-2)!;
  return (await getReport(server.ctx, appId, scanId)).data;
}

describe('submitted SBOM hand-off', () => {
  it('evaluates the same whether the job takes the SBOM read at submission or reads the stored text', async () => {
    const handedOver = await scan(false);
    const reread = await scan(true);
    const view = (d: typeof handedOver) => d.components.map((c) => ({ purl: c.packageUrl, licenses: c.licenseData.declaredLicenses, issues: c.securityIssues.length }));
    expect(reread.summary).toEqual(handedOver.summary);
    expect(view(reread)).toEqual(view(handedOver));
    expect(view(reread)).toHaveLength(2);
  });
});
