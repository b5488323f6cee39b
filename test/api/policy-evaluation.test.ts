import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';

/** Policy Evaluation: components evaluated on request, and scans promoted to a later stage. */
let server: TestServer;
let appId: string;
let LEGAL: [string, string];
let COMPONENTS: [string, string];

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  appId = await createApplication(server, 'eval-app');
  LEGAL = await userWithRole(server, 'legal', 'Legal Reviewer', 'application', appId);
  COMPONENTS = await userWithRole(server, 'comp', 'Component Evaluator', 'application', appId);
});
afterAll(async () => {
  await server?.close();
});

describe('POST /api/v2/evaluation/applications/{applicationId} and GET …/results/{resultId}', () => {
  it('evaluates components named by package URL, identifier or hash', async () => {
    // A claim makes the hash-only component known.
    const claim = await server.request('POST', '/api/v2/claim/components', {
      body: { hash: 'aaaaaaaaaaaaaaaaaaaa', packageUrl: 'pkg:npm/claimed-thing@2.0.0', comment: 'ours' },
    });
    expect([200, 204]).toContain(claim.status);
    const submitted = await server.request('POST', `/api/v2/evaluation/applications/${appId}`, {
      auth: COMPONENTS,
      body: {
        components: [
          { packageUrl: 'pkg:npm/left-pad@1.3.0' },
          { componentIdentifier: { format: 'maven', coordinates: { groupId: 'org.example', artifactId: 'lib', version: '1.0' } } },
          { hash: 'aaaaaaaaaaaaaaaaaaaa' },
          { hash: 'bbbbbbbbbbbbbbbbbbbb' },
        ],
      },
    });
    expect(submitted.status, submitted.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/evaluation/applications/{applicationId}', 200, submitted.body);
    expect(submitted.body).toMatchObject({ applicationId: appId, resultsUrl: `api/v2/evaluation/applications/${appId}/results/${submitted.body.resultId}` });

    const pending = await server.request('GET', `/${submitted.body.resultsUrl}`, { auth: COMPONENTS });
    expect(pending.status).toBe(404);
    await server.jobs.drain();
    const done = await server.request('GET', `/${submitted.body.resultsUrl}`, { auth: COMPONENTS });
    expect(done.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/evaluation/applications/{applicationId}/results/{resultId}', 200, done.body);
    expect(done.body).toMatchObject({ applicationId: appId, isError: false, errorMessage: null });
    const [leftPad, maven, claimed, unknown] = done.body.results;
    expect(leftPad.component).toMatchObject({ packageUrl: 'pkg:npm/left-pad@1.3.0', componentIdentifier: { format: 'npm' } });
    expect(leftPad.matchState).toBe('exact');
    expect(maven.component.packageUrl).toBe('pkg:maven/org.example/lib@1.0?type=jar');
    expect(claimed).toMatchObject({ matchState: 'exact', component: { hash: 'aaaaaaaaaaaaaaaaaaaa', packageUrl: 'pkg:npm/claimed-thing@2.0.0' } });
    expect(unknown.matchState).toBe('unknown');
    expect(unknown.policyData.policyViolations.map((v: { policyName: string }) => v.policyName)).toContain('Component-Unknown');
    // Nothing declares a license: License-None.
    expect(leftPad.licenseData.effectiveLicenses).toEqual([{ licenseId: 'Not-Declared', licenseName: 'Not Declared' }]);
  });

  it('refuses bad components with the index of the bad one, and needs Evaluate Components', async () => {
    const bad = await server.request('POST', `/api/v2/evaluation/applications/${appId}`, {
      body: { components: [{ packageUrl: 'pkg:npm/ok@1.0.0' }, { hash: 'xyz' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/components\[1\]/);
    expect((await server.request('POST', `/api/v2/evaluation/applications/${appId}`, { body: { components: [] } })).status).toBe(400);
    const body = { components: [{ packageUrl: 'pkg:npm/ok@1.0.0' }] };
    expect((await server.request('POST', `/api/v2/evaluation/applications/${appId}`, { body, auth: null })).status).toBe(401);
    expect((await server.request('POST', `/api/v2/evaluation/applications/${appId}`, { body, auth: LEGAL })).status).toBe(403);
    expect((await server.request('POST', '/api/v2/evaluation/applications/nope', { body })).status).toBe(404);
    expect((await server.request('GET', `/api/v2/evaluation/applications/${appId}/results/0123456789abcdef0123456789abcdef`)).status).toBe(404);
  });
});

describe('POST /api/v2/evaluation/applications/{applicationId}/promoteScan', () => {
  it('evaluates a build scan again for release, by scanId or by source stage', async () => {
    const sbom = cycloneDxJson([{ name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' }]);
    const { scanId, result } = await scanAndWait(server, appId, sbom, { stage: 'build' });
    expect(result.policyAction).toBe('Warning');

    const byId = await server.request('POST', `/api/v2/evaluation/applications/${appId}/promoteScan`, { body: { scanId, targetStageId: 'release' } });
    expect(byId.status, byId.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/evaluation/applications/{applicationId}/promoteScan', 200, byId.body);
    const pending = await server.request('GET', `/${byId.body.statusUrl}`);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ status: 'PENDING' });
    await server.jobs.drain();
    const done = await server.request('GET', `/${byId.body.statusUrl}`);
    expectMatchesReference('GET', '/api/v2/evaluation/applications/{applicationId}/status/{statusId}', 200, done.body);
    expect(done.body.status).toBe('COMPLETED');
    const promotedId = done.body.reportDataUrl.split('/').at(-2);
    expect(promotedId).not.toBe(scanId);

    const history = await server.request('GET', `/api/v2/reports/applications/${appId}/history?stage=release`);
    expect(history.body.reports[0]).toMatchObject({ scanId: promotedId, stage: 'release', isReevaluation: true });
    const raw = await server.request('GET', `/api/v2/applications/eval-app/reports/${promotedId}/raw`);
    expect(raw.body.components.map((c: { packageUrl: string }) => c.packageUrl)).toEqual(['pkg:npm/readline@1.3.0']);
    const policy = await server.request('GET', `/api/v2/applications/eval-app/reports/${promotedId}/policy`);
    expect(policy.body.components[0].violations.map((v: { policyName: string }) => v.policyName)).toContain('License-Copyleft');

    const byStage = await server.request('POST', `/api/v2/evaluation/applications/${appId}/promoteScan`, { body: { sourceStageId: 'build', targetStageId: 'operate' } });
    expect(byStage.status).toBe(200);
    await server.jobs.drain();
    expect((await server.request('GET', `/${byStage.body.statusUrl}`)).body.status).toBe('COMPLETED');
  });

  it('refuses what it cannot promote', async () => {
    const path = `/api/v2/evaluation/applications/${appId}/promoteScan`;
    expect((await server.request('POST', path, { body: { sourceStageId: 'build' } })).status).toBe(400);
    expect((await server.request('POST', path, { body: { targetStageId: 'release' } })).status).toBe(400);
    expect((await server.request('POST', path, { body: { sourceStageId: 'stage-release', targetStageId: 'release' } })).status).toBe(404);
    expect((await server.request('POST', path, { body: { scanId: '0123456789abcdef0123456789abcdef', targetStageId: 'release' } })).status).toBe(404);
    expect((await server.request('POST', path, { body: { sourceStageId: 'build', targetStageId: 'nowhere' } })).status).toBe(400);
    expect((await server.request('POST', path, { body: { sourceStageId: 'build', targetStageId: 'release' }, auth: LEGAL })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/evaluation/applications/${appId}/status/0123456789abcdef0123456789abcdef`)).status).toBe(404);
  });
});
