import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { scanAndWait } from '../evaluation/scan.js';

/** Policy Violation Details over the newest reports, by policy; cross-stage by violation id. */
let server: TestServer;
let copyleft: string;
let unknownPolicy: string;
let shopId: string;
let otherId: string;
let DEV: [string, string];
let OUTSIDER: [string, string];
let firstBuildViolation: string;
/** Creation times of shop's two build reports, and of other's reports (violated, clean, violated again). */
const times: Record<string, string> = {};

const CLEAN = cycloneDxJson([{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' }]);
const SBOM = cycloneDxJson([
  { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' },
  { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' },
]);

async function createApp(publicId: string, organizationName: string): Promise<string> {
  const org = await server.request('POST', '/api/v2/organizations', { body: { name: organizationName, parentOrganizationId: 'ROOT_ORGANIZATION_ID' } });
  expect(org.status, org.text).toBe(200);
  const app = await server.request('POST', '/api/v2/applications', { body: { publicId, name: `${publicId} app`, organizationId: org.body.id } });
  expect(app.status, app.text).toBe(200);
  return app.body.id;
}

const list = (query: string, auth?: [string, string] | null) => server.request('GET', `/api/v2/policyViolations${query}`, { auth });
const crossStage = (id: string, auth?: [string, string] | null) =>
  server.request('GET', `/api/v2/policyViolations/crossStage?constituentId=${encodeURIComponent(id)}`, { auth });
const today = () => new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const policies = await server.request('GET', '/api/v2/policies');
  const byName = new Map(policies.body.policies.map((p: { name: string; id: string }) => [p.name, p.id]));
  copyleft = byName.get('License-Copyleft') as string;
  unknownPolicy = byName.get('Component-Unknown') as string;
  shopId = await createApp('shop', 'Shop Org');
  otherId = await createApp('other', 'Other Org');
  const first = await scanAndWait(server, shopId, SBOM, { stage: 'build' });
  const data = await server.request('GET', `/api/v2/applications/shop/reports/${first.scanId}/policy`);
  firstBuildViolation = data.body.components.flatMap((c: { violations: Array<{ policyId: string; policyViolationId: string }> }) => c.violations).find((v: { policyId: string }) => v.policyId === copyleft).policyViolationId;
  // A newer build report replaces the first; a release report is another stage.
  const second = await scanAndWait(server, shopId, SBOM, { stage: 'build' });
  await scanAndWait(server, shopId, SBOM, { stage: 'release' });
  const otherScans = [
    await scanAndWait(server, otherId, SBOM, { stage: 'build' }),
    await scanAndWait(server, otherId, CLEAN, { stage: 'build' }),
    await scanAndWait(server, otherId, SBOM, { stage: 'build' }),
  ];
  const created = async (id: string) => (await server.ctx.store.db.selectFrom('reports').select('created_at').where('id', '=', id).executeTakeFirstOrThrow()).created_at;
  times.shopFirst = await created(first.scanId);
  times.shopSecond = await created(second.scanId);
  times.otherAgain = await created(otherScans[2].scanId);
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', shopId);
  OUTSIDER = await userWithRole(server, 'outsider', null);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v2/policyViolations', () => {
  it('lists the violations of a policy in the newest report of each stage, by application', async () => {
    const res = await list(`?p=${copyleft}`);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyViolations', 200, res.body);
    const byApp = new Map(res.body.applicationViolations.map((a: { application: { publicId: string } }) => [a.application.publicId, a]));
    expect([...byApp.keys()]).toEqual(['other', 'shop']);
    const shop = byApp.get('shop') as { application: unknown; policyViolations: Array<Record<string, unknown>> };
    expect(shop.application).toMatchObject({ id: shopId, publicId: 'shop', name: 'shop app' });
    expect(shop.policyViolations.map((v) => v.stageId).sort()).toEqual(['build', 'release']);
    const v = shop.policyViolations[0];
    expect(v).toMatchObject({
      policyId: copyleft,
      policyName: 'License-Copyleft',
      isWaived: false,
      isLegacy: false,
      component: { packageUrl: 'pkg:npm/readline@1.3.0', displayName: 'readline 1.3.0' },
      reportUrl: `ui/links/application/shop/report/${v.reportId}`,
    });
    expect(v.threatLevel).toBeGreaterThan(0);
    expect(v.constraintViolations).toEqual([expect.objectContaining({ constraintName: 'Copyleft license', reasons: [expect.objectContaining({ reason: expect.stringContaining('GPL-3.0') })] })]);
    // Only the newest report of a stage counts: the first build's violation is gone.
    expect(shop.policyViolations.map((x) => x.policyViolationId)).not.toContain(firstBuildViolation);
  });

  it('opens a violation at the first report of the unbroken run of its stage that had it', async () => {
    const res = await list(`?p=${copyleft}`);
    const all = res.body.applicationViolations.flatMap((a: { application: { publicId: string }; policyViolations: Array<{ stageId: string; openTime: string }> }) =>
      a.policyViolations.map((v) => ({ app: a.application.publicId, stage: v.stageId, openTime: v.openTime })),
    );
    expect(times.shopFirst < times.shopSecond).toBe(true);
    expect(all.find((v: { app: string; stage: string }) => v.app === 'shop' && v.stage === 'build').openTime).toBe(times.shopFirst);
    // Gone in the clean report, back in the newest: open since the newest.
    expect(all.find((v: { app: string }) => v.app === 'other').openTime).toBe(times.otherAgain);
    // A full time filters too: only what opened after shop's first build report.
    const later = await list(`?p=${copyleft}&openTimeAfter=${encodeURIComponent(times.shopSecond)}`);
    expect(later.status, later.text).toBe(200);
    const stages = later.body.applicationViolations.flatMap((a: { application: { publicId: string }; policyViolations: Array<{ stageId: string }> }) =>
      a.policyViolations.map((v) => `${a.application.publicId} ${v.stageId}`),
    );
    expect(stages.sort()).toEqual(['other build', 'shop release']);
  });

  it('several policies at once; a policy nothing violates gives nothing', async () => {
    const both = await list(`?p=${copyleft}&p=${unknownPolicy}`);
    expect(both.status).toBe(200);
    const none = await list(`?p=${unknownPolicy}`);
    expect(none.body).toEqual({ applicationViolations: [] });
    expect(both.body.applicationViolations.flatMap((a: { policyViolations: unknown[] }) => a.policyViolations)).toHaveLength(3);
    expect((await list('?p=0123456789abcdef0123456789abcdef')).body).toEqual({ applicationViolations: [] });
  });

  it('filters by open time and type', async () => {
    const count = async (query: string) => {
      const res = await list(`?p=${copyleft}${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body.applicationViolations.flatMap((a: { policyViolations: unknown[] }) => a.policyViolations).length;
    };
    expect(await count(`&openTimeAfter=${today()}`)).toBe(3);
    expect(await count(`&openTimeBefore=${today()}`)).toBe(3);
    expect(await count(`&openTimeAfter=${dayOffset(1)}`)).toBe(0);
    expect(await count(`&openTimeBefore=${dayOffset(-1)}`)).toBe(0);
    expect(await count('&type=WAIVED')).toBe(0);
    expect(await count('&type=LEGACY')).toBe(0);
    expect(await count('&type=ACTIVE&type=WAIVED')).toBe(3);
    expect(await count('&type=active')).toBe(3);
    expect(await count('&type=WAIVED,ACTIVE')).toBe(3);
  });

  it('shows only applications the caller may view', async () => {
    const res = await list(`?p=${copyleft}`, DEV);
    expect(res.status).toBe(200);
    expect(res.body.applicationViolations.map((a: { application: { publicId: string } }) => a.application.publicId)).toEqual(['shop']);
    expect((await list(`?p=${copyleft}`, OUTSIDER)).body).toEqual({ applicationViolations: [] });
    expect((await list(`?p=${copyleft}`, null)).status).toBe(401);
  });

  it('refuses bad input with a clear message', async () => {
    expect((await list('')).status).toBe(400);
    for (const [query, message] of [
      [`?p=${copyleft}&openTimeAfter=yesterday`, /openTimeAfter "yesterday" is not a date/],
      [`?p=${copyleft}&openTimeBefore=2026-02-30`, /openTimeBefore "2026-02-30" is not a date/],
      [`?p=${copyleft}&openTimeAfter=2026-03-02&openTimeBefore=2026-03-01`, /openTimeAfter is later than openTimeBefore/],
      [`?p=${copyleft}&type=OPEN`, /Unknown violation type "OPEN"/],
      ['?p=%20', /at least one policy id/],
    ] as const) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.text).toMatch(message);
    }
  });
});

describe('GET /api/v2/policyViolations/crossStage', () => {
  it('finds the same violation in the newest report of each stage', async () => {
    const listed = await list(`?p=${copyleft}`);
    const shop = listed.body.applicationViolations.find((a: { application: { publicId: string } }) => a.application.publicId === 'shop');
    const build = shop.policyViolations.find((v: { stageId: string }) => v.stageId === 'build');
    const release = shop.policyViolations.find((v: { stageId: string }) => v.stageId === 'release');
    const res = await crossStage(build.policyViolationId);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyViolations/crossStage', 200, res.body);
    expect(res.body).toMatchObject({
      policyViolationId: build.policyViolationId,
      policyId: copyleft,
      policyName: 'License-Copyleft',
      policyThreatCategory: 'LICENSE',
      applicationPublicId: 'shop',
      applicationName: 'shop app',
      organizationName: 'Shop Org',
      componentIdentifier: { format: 'npm', coordinates: { packageId: 'readline', version: '1.3.0' } },
      policyOwner: { ownerType: 'ORGANIZATION', ownerId: 'ROOT_ORGANIZATION_ID', ownerName: 'Root Organization' },
    });
    expect(Object.keys(res.body.stageData).sort()).toEqual(['build', 'release']);
    expect(res.body.stageData.build.mostRecentScanId).toBe(build.reportId);
    expect(res.body.stageData.release).toMatchObject({ mostRecentScanId: release.reportId, actionTypeId: 'fail' });
    expect(res.body.openTime).toBe(times.shopFirst);
  });

  it('needs READ on the application; 404 for a violation no newest report has; 400 without an id', async () => {
    const listed = await list(`?p=${copyleft}`);
    const id = listed.body.applicationViolations.find((a: { application: { publicId: string } }) => a.application.publicId === 'shop').policyViolations[0].policyViolationId;
    expect((await crossStage(id, DEV)).status).toBe(200);
    expect((await crossStage(id, OUTSIDER)).status).toBe(403);
    expect((await crossStage(id, null)).status).toBe(401);
    const old = await crossStage(firstBuildViolation);
    expect(old.status).toBe(404);
    expect(old.text).toMatch(/No policy violation .* in the newest reports/);
    expect((await crossStage('nothing-like-it')).status).toBe(404);
    // LIKE wildcards in the id match nothing (else the outsider would see a 403 for some report).
    expect((await crossStage('%_', OUTSIDER)).status).toBe(404);
    expect((await server.request('GET', '/api/v2/policyViolations/crossStage')).status).toBe(400);

    const byPath = await server.request('GET', `/api/v2/policyViolations/crossStage/${id}`);
    expect(byPath.status, byPath.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyViolations/crossStage/{violationId}', 200, byPath.body);
    expect(byPath.body).toEqual((await crossStage(id)).body);
    expect((await server.request('GET', `/api/v2/policyViolations/crossStage/${id}`, { auth: OUTSIDER })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/policyViolations/crossStage/${firstBuildViolation}`)).status).toBe(404);
  });
});
