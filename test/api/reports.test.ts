import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { getReport, reportsHoldingViolations } from '../../src/services/reports/reports.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';

/** Reports: the newest report per stage, and an application's history. */
let server: TestServer;
let appA: string;
let appB: string;
const scans: Record<string, string> = {};
/** Each scan's policy action as the scan result said it. */
const actions: Record<string, string> = {};
let READER: [string, string];

const GPL = cycloneDxJson([{ name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' }]);
const MIT = cycloneDxJson([{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' }]);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  appA = await createApplication(server, 'app-a');
  appB = await createApplication(server, 'app-b');
  let now = Date.parse('2026-03-01T10:00:00Z');
  // Distinct creation times, so that "newest" is well defined.
  server.ctx.now = () => {
    now += 1000;
    return new Date(now);
  };
  {
    const done = await scanAndWait(server, appA, GPL, { stage: 'build' });
    scans.a1 = done.scanId;
    actions[done.scanId] = String(done.result.policyAction);
  }
  {
    const done = await scanAndWait(server, appA, MIT, { stage: 'build' });
    scans.a2 = done.scanId;
    actions[done.scanId] = String(done.result.policyAction);
  }
  {
    const done = await scanAndWait(server, appA, GPL, { stage: 'release' });
    scans.a3 = done.scanId;
    actions[done.scanId] = String(done.result.policyAction);
  }
  {
    const done = await scanAndWait(server, appB, GPL, { stage: 'develop' });
    scans.b1 = done.scanId;
    actions[done.scanId] = String(done.result.policyAction);
  }
  READER = await userWithRole(server, 'reader', 'Developer', 'application', appA);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v2/reports/applications', () => {
  it('lists the newest report of each stage of every visible application', async () => {
    const r = await server.request('GET', '/api/v2/reports/applications');
    expect(r.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/reports/applications', 200, r.body);
    const seen = r.body.map((x: { applicationId: string; stage: string; reportDataUrl: string }) => [x.applicationId, x.stage, x.reportDataUrl.split('/').at(-2)]);
    expect(seen).toHaveLength(3);
    // Tollgate's own field: the report's policy action (the web UI shows it per stage).
    for (const x of r.body) expect(x.tollgate).toEqual({ scanId: x.reportDataUrl.split('/').at(-2), policyAction: actions[x.reportDataUrl.split('/').at(-2)] });
    expect(seen).toEqual(
      expect.arrayContaining([
        [appA, 'build', scans.a2],
        [appA, 'release', scans.a3],
        [appB, 'develop', scans.b1],
      ]),
    );
    const a = r.body.find((x: { stage: string }) => x.stage === 'release');
    expect(a).toMatchObject({
      reportHtmlUrl: `ui/links/application/app-a/report/${scans.a3}`,
      latestReportHtmlUrl: 'ui/links/application/app-a/latestReport',
      reportPdfUrl: `ui/links/application/app-a/report/${scans.a3}/pdf`,
    });
  });

  it('shows a user only the applications they may view', async () => {
    const r = await server.request('GET', '/api/v2/reports/applications', { auth: READER });
    expect(r.status).toBe(200);
    expect(new Set(r.body.map((x: { applicationId: string }) => x.applicationId))).toEqual(new Set([appA]));
    const nobody = await userWithRole(server, 'nobody', null);
    expect((await server.request('GET', '/api/v2/reports/applications', { auth: nobody })).body).toEqual([]);
    expect((await server.request('GET', '/api/v2/reports/applications', { auth: null })).status).toBe(401);
  });
});

describe('GET /api/v2/reports/applications/{applicationId}', () => {
  it('lists one application’s newest report per stage', async () => {
    const r = await server.request('GET', `/api/v2/reports/applications/${appA}`, { auth: READER });
    expect(r.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/reports/applications/{applicationId}', 200, r.body);
    expect(r.body.map((x: { stage: string }) => x.stage).sort()).toEqual(['build', 'release']);
    expect((await server.request('GET', `/api/v2/reports/applications/${appB}`, { auth: READER })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/reports/applications/nope')).status).toBe(404);
  });
});

describe('GET /api/v2/reports/applications/{applicationId}/history', () => {
  it('lists reports newest first, by stage and limited', async () => {
    const all = await server.request('GET', `/api/v2/reports/applications/${appA}/history`);
    expect(all.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/reports/applications/{applicationId}/history', 200, all.body);
    expect(all.body.applicationId).toBe(appA);
    expect(all.body.reports.map((x: { scanId: string }) => x.scanId)).toEqual([scans.a3, scans.a2, scans.a1]);
    const first = all.body.reports.find((x: { scanId: string }) => x.scanId === scans.a1);
    expect(first).toMatchObject({
      stage: 'build',
      isReevaluation: false,
      policyEvaluationResult: { totalComponentCount: 1, affectedComponentCount: 1, criticalPolicyViolationCount: 1, criticalComponentCount: 1 },
    });
    expect(all.body.reports.map((x: { tollgate: { policyAction: string } }) => x.tollgate.policyAction)).toEqual([scans.a3, scans.a2, scans.a1].map((id) => actions[id]));
    expect(new Set(Object.values(actions)).size).toBeGreaterThan(1);
    const build = await server.request('GET', `/api/v2/reports/applications/${appA}/history?stage=build&limit=1`);
    expect(build.body.reports.map((x: { scanId: string }) => x.scanId)).toEqual([scans.a2]);
    expect((await server.request('GET', `/api/v2/reports/applications/${appA}/history?limit=0`)).status).toBe(400);
    expect((await server.request('GET', `/api/v2/reports/applications/${appB}/history`, { auth: READER })).status).toBe(403);
  });
});

describe('violation ids', () => {
  it('name the report that holds them: one lookup by id finds it', async () => {
    const both = [scans.a1, scans.a3];
    for (const scanId of both) {
      const { data } = await getReport(server.ctx, appA, scanId);
      const ids = data.components.flatMap((c) => c.violations.map((v) => v.policyViolationId));
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(new RegExp(`^${scanId.slice(0, 20)}[0-9a-f]{12}$`));
      const holding = await reportsHoldingViolations(server.ctx, [...ids, scanId.slice(0, 20) + 'f'.repeat(12)]);
      expect(new Set([...holding.values()].map((r) => r.id))).toEqual(new Set([scanId]));
      expect(holding.size).toBe(ids.length + 1); // the made-up id names the report too; findViolations then finds no such violation in it
    }
  });
});

describe('data retention', () => {
  it('purges an application’s old reports when it gets a new one, keeping the newest of each stage', async () => {
    const app = await createApplication(server, 'retained');
    const set = await server.request('PUT', '/api/v2/dataRetentionPolicies/organizations/ROOT_ORGANIZATION_ID', {
      body: { applicationReports: { stages: { build: { enablePurging: true, maxCount: 2 }, release: { enablePurging: true, maxAge: '1 month' } } } },
    });
    expect(set.status, set.text).toBeLessThan(300);
    const ids: string[] = [];
    // A violating SBOM, so that the reports have policy violation rows to go with them.
    for (let i = 0; i < 4; i++) ids.push((await scanAndWait(server, app, GPL, { stage: 'build' })).scanId);
    const release = (await scanAndWait(server, app, MIT, { stage: 'release' })).scanId;
    const history = async (stage: string) =>
      (await server.request('GET', `/api/v2/reports/applications/${app}/history?stage=${stage}`)).body.reports.map((r: { scanId: string }) => r.scanId);
    expect(await history('build')).toEqual([ids[3], ids[2]]);
    const gone = await server.request('GET', `/api/v2/applications/retained/reports/${ids[0]}/raw`);
    expect(gone.status).toBe(404);
    const violationRows = async (reportIds: string[]) =>
      (await server.ctx.store.db.selectFrom('report_policy_violations').select('report_id').where('report_id', 'in', reportIds).execute()).length;
    expect(await violationRows([ids[0], ids[1]])).toBe(0);
    expect(await violationRows([ids[2], ids[3]])).toBeGreaterThan(0);

    // Two months later: the old release report is past its age, but it is the newest of its stage.
    const now = server.ctx.now;
    const later = Date.parse('2026-06-01T00:00:00Z');
    let t = later;
    server.ctx.now = () => {
      t += 1000;
      return new Date(t);
    };
    try {
      const newer = (await scanAndWait(server, app, MIT, { stage: 'build' })).scanId;
      expect(await history('release')).toEqual([release]);
      expect(await history('build')).toEqual([newer, ids[3]]);
      const next = (await scanAndWait(server, app, MIT, { stage: 'release' })).scanId;
      expect(await history('release')).toEqual([next]);
    } finally {
      server.ctx.now = now;
    }
    // Other applications keep theirs (the root policy applies to them at their next scan).
    expect((await server.request('GET', `/api/v2/reports/applications/${appA}/history?stage=build`)).body.reports).toHaveLength(2);
  });
});
