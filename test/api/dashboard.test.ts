import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';

/**
 * The portfolio dashboard (Tollgate's own GET /api/v2/dashboard) over a small known portfolio:
 * its counts agree with the reports' own policy data, and follow filters and permissions.
 */
let server: TestServer;
let shopOrg: string;
let teamOrg: string;
let shopId: string;
let teamId: string;
let otherId: string;
let categoryId: string;
let DEV: [string, string];
let OUTSIDER: [string, string];

const GPL = { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' };
const MIT = { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' };
const AGPL = { name: 'agpl-lib', version: '2.0.0', purl: 'pkg:npm/agpl-lib@2.0.0', license: 'AGPL-3.0-only' };
const VIOLATING = cycloneDxJson([GPL, MIT, AGPL]);
const GPL_ONLY = cycloneDxJson([GPL, MIT]);
const CLEAN = cycloneDxJson([MIT]);

type Bands = { critical: number; severe: number; moderate: number; low: number };
const dashboard = (query = '', auth?: [string, string] | null) => server.request('GET', `/api/v2/dashboard${query}`, { auth });

async function organization(name: string, parentOrganizationId = 'ROOT_ORGANIZATION_ID'): Promise<string> {
  const res = await server.request('POST', '/api/v2/organizations', { body: { name, parentOrganizationId } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

async function application(publicId: string, organizationId: string, tagIds: string[] = []): Promise<string> {
  const res = await server.request('POST', '/api/v2/applications', {
    body: { publicId, name: `${publicId} app`, organizationId, applicationTags: tagIds.map((tagId) => ({ tagId })) },
  });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

/** What the reports' own policy data says: open violations by band, over the given latest reports. */
const reports: Array<{ publicId: string; applicationId: string; stage: string; scanId: string }> = [];
async function expectedBands(filter: (r: (typeof reports)[number]) => boolean): Promise<Bands & { byType: Map<string, Bands> }> {
  const latest = new Map<string, (typeof reports)[number]>();
  for (const r of reports) latest.set(`${r.applicationId} ${r.stage}`, r);
  const out = { critical: 0, severe: 0, moderate: 0, low: 0, byType: new Map<string, Bands>() };
  for (const r of [...latest.values()].filter(filter)) {
    const res = await server.request('GET', `/api/v2/applications/${r.publicId}/reports/${r.scanId}/policy`);
    expect(res.status, res.text).toBe(200);
    for (const c of res.body.components) {
      for (const v of c.violations as Array<{ policyThreatLevel: number; policyThreatCategory: string; waived: boolean }>) {
        if (v.waived) continue;
        const band = v.policyThreatLevel >= 8 ? 'critical' : v.policyThreatLevel >= 4 ? 'severe' : v.policyThreatLevel >= 2 ? 'moderate' : 'low';
        out[band]++;
        const type = out.byType.get(v.policyThreatCategory) ?? { critical: 0, severe: 0, moderate: 0, low: 0 };
        type[band]++;
        out.byType.set(v.policyThreatCategory, type);
      }
    }
  }
  return out;
}

async function scan(publicId: string, applicationId: string, body: string, stage: string) {
  const { scanId } = await scanAndWait(server, applicationId, body, { stage });
  reports.push({ publicId, applicationId, stage, scanId });
}

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  shopOrg = await organization('Shop Org');
  teamOrg = await organization('Shop Team', shopOrg);
  const otherOrg = await organization('Other Org');
  const category = await server.request('POST', `/api/v2/applicationCategories/organization/ROOT_ORGANIZATION_ID`, {
    body: { name: 'Internet facing', description: 'public', color: 'light-red' },
  });
  expect(category.status, category.text).toBe(200);
  categoryId = category.body.id;
  shopId = await application('shop', shopOrg, [categoryId]);
  teamId = await application('team', teamOrg);
  otherId = await application('other', otherOrg);
  await application('never-scanned', otherOrg);
  await scan('shop', shopId, CLEAN, 'build');
  await scan('shop', shopId, VIOLATING, 'build'); // replaces the clean build report
  await scan('shop', shopId, GPL_ONLY, 'release');
  await scan('team', teamId, VIOLATING, 'build');
  await scan('other', otherId, VIOLATING, 'build');
  await scan('other', otherId, CLEAN, 'build'); // other's violations are fixed
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', shopId);
  OUTSIDER = await userWithRole(server, 'outsider', null);
}, 90_000);
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v2/dashboard', () => {
  it('counts the open violations of the newest report of each stage, by band and policy type, as the reports say', async () => {
    const res = await dashboard();
    expect(res.status, res.text).toBe(200);
    const expected = await expectedBands(() => true);
    expect(expected.critical + expected.severe + expected.moderate + expected.low).toBeGreaterThan(0);
    expect(res.body.evaluatedApplications).toBe(3);
    expect(res.body.latestReports).toBe(4);
    expect(res.body.openViolations).toMatchObject({ critical: expected.critical, severe: expected.severe, moderate: expected.moderate, low: expected.low });
    for (const row of res.body.openViolations.byPolicyType as Array<Bands & { policyType: string }>) {
      const { policyType, ...counts } = row;
      expect(counts, policyType).toEqual(expected.byType.get(policyType) ?? { critical: 0, severe: 0, moderate: 0, low: 0 });
    }
    expect(res.body.policyActions.Failure + res.body.policyActions.Warning + res.body.policyActions.None).toBe(4);
    // Newest first: other's clean build report was written last.
    expect(res.body.newestEvaluations.map((e: { applicationPublicId: string; stageId: string }) => `${e.applicationPublicId} ${e.stageId}`)).toEqual([
      'other build',
      'team build',
      'shop release',
      'shop build',
    ]);
    expect(res.body.newestEvaluations[0]).toMatchObject({ reportId: reports[5].scanId, openViolations: { critical: 0, severe: 0, moderate: 0, low: 0 } });
    expect(res.body.newestEvaluations[0].reportHtmlUrl).toBe(`ui/links/application/other/report/${reports[5].scanId}`);
    // Applications with open violations, worst first: other's are fixed.
    const violating = [];
    for (const [publicId, id] of [['shop', shopId], ['team', teamId], ['other', otherId]]) {
      const bands = await expectedBands((r) => r.applicationId === id);
      if (bands.critical + bands.severe + bands.moderate + bands.low) violating.push(publicId);
    }
    expect(violating).toContain('shop');
    expect(violating).not.toContain('other');
    expect(res.body.riskiestApplications.map((a: { applicationPublicId: string }) => a.applicationPublicId).sort()).toEqual(violating.sort());
    // readline (GPL) is violated in shop's build and release and team's build: two applications.
    const readline = res.body.riskiestComponents.find((c: { componentKey: string }) => c.componentKey === 'pkg:npm/readline@1.3.0');
    expect(readline).toMatchObject({ displayName: expect.stringContaining('readline'), applications: 2 });
    expect(res.body.riskiestComponents.some((c: { componentKey: string }) => c.componentKey === 'pkg:npm/left-pad@1.3.0')).toBe(false);
    // The trend ends today with the counts above; other's fixed violations were open earlier today only.
    expect(res.body.trend).toHaveLength(30);
    expect(res.body.trend.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), critical: expected.critical, severe: expected.severe, moderate: expected.moderate, low: expected.low });
  });

  it('filters by organization (and those below it), application category and stage', async () => {
    const shopOnly = await dashboard(`?organizationId=${shopOrg}`);
    expect(shopOnly.status, shopOnly.text).toBe(200);
    expect(shopOnly.body.evaluatedApplications).toBe(2); // shop and team (below Shop Org)
    const expectedShopOrg = await expectedBands((r) => r.applicationId === shopId || r.applicationId === teamId);
    expect(shopOnly.body.openViolations).toMatchObject({ critical: expectedShopOrg.critical, severe: expectedShopOrg.severe, moderate: expectedShopOrg.moderate, low: expectedShopOrg.low });

    const team = await dashboard(`?organizationId=${teamOrg}`);
    expect(team.body.newestEvaluations.map((e: { applicationPublicId: string }) => e.applicationPublicId)).toEqual(['team']);

    const tagged = await dashboard(`?applicationCategoryId=${categoryId}`);
    expect(tagged.status, tagged.text).toBe(200);
    expect(tagged.body.evaluatedApplications).toBe(1);
    expect(tagged.body.latestReports).toBe(2);
    expect(tagged.body.filters).toEqual({ applicationCategoryId: categoryId });

    const release = await dashboard('?stageId=release');
    expect(release.body.latestReports).toBe(1);
    const expectedRelease = await expectedBands((r) => r.stage === 'release');
    expect(release.body.openViolations.severe + release.body.openViolations.critical).toBe(expectedRelease.severe + expectedRelease.critical);
    expect(release.body.trend.at(-1)).toMatchObject({ critical: expectedRelease.critical, severe: expectedRelease.severe });

    const days = await dashboard('?days=7&limit=1');
    expect(days.body.trend).toHaveLength(7);
    expect(days.body.newestEvaluations).toHaveLength(1);
    expect(days.body.riskiestComponents).toHaveLength(1);
  });

  it('covers only the applications the caller may READ', async () => {
    const mine = await dashboard('', DEV);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.evaluatedApplications).toBe(1);
    expect(mine.body.newestEvaluations.map((e: { applicationPublicId: string }) => e.applicationPublicId)).toEqual(['shop', 'shop']);
    const expectedShop = await expectedBands((r) => r.applicationId === shopId);
    expect(mine.body.openViolations).toMatchObject({ critical: expectedShop.critical, severe: expectedShop.severe, moderate: expectedShop.moderate, low: expectedShop.low });
    expect(mine.body.riskiestComponents.find((c: { componentKey: string }) => c.componentKey === 'pkg:npm/readline@1.3.0')).toMatchObject({ applications: 1 });
    // Filtering by an organization above the granted application still shows it; one beside it, nothing.
    expect((await dashboard(`?organizationId=${shopOrg}`, DEV)).body.evaluatedApplications).toBe(1);
    expect((await dashboard(`?organizationId=${teamOrg}`, DEV)).body.evaluatedApplications).toBe(0);

    const nothing = await dashboard('', OUTSIDER);
    expect(nothing.status, nothing.text).toBe(200);
    expect(nothing.body).toMatchObject({ evaluatedApplications: 0, latestReports: 0, newestEvaluations: [], riskiestApplications: [], riskiestComponents: [] });
    expect(nothing.body.trend.every((d: Bands) => d.critical + d.severe + d.moderate + d.low === 0)).toBe(true);
    expect((await dashboard('', null)).status).toBe(401);
  });

  it('refuses bad filters with a clear message', async () => {
    const stage = await dashboard('?stageId=production');
    expect(stage.status).toBe(400);
    expect(stage.text).toContain('Unknown stage "production"');
    const org = await dashboard('?organizationId=no-such-org');
    expect(org.status).toBe(404);
    expect(org.text).toContain('no-such-org');
    const category = await dashboard('?applicationCategoryId=no-such-category');
    expect(category.status).toBe(404);
    expect((await dashboard('?days=0')).status).toBe(400);
    expect((await dashboard('?limit=abc')).status).toBe(400);
  });

  it('forgets an application that is deleted', async () => {
    const res = await server.request('DELETE', `/api/v2/applications/${otherId}`);
    expect([200, 204]).toContain(res.status);
    const after = await dashboard();
    expect(after.body.evaluatedApplications).toBe(2);
    expect(after.body.newestEvaluations.some((e: { applicationPublicId: string }) => e.applicationPublicId === 'other')).toBe(false);
  });
});
