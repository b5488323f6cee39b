import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createOrganization } from '../helpers/owners.js';

let server: TestServer;
const _PASSWORD = 'password123';
const BASE = '/api/v2/dataRetentionPolicies/organizations';
const REF = '/api/v2/dataRetentionPolicies/organizations/{organizationId}';

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

async function getPolicy(organizationId: string) {
  const res = await server.request('GET', `${BASE}/${organizationId}`);
  expect(res.status, res.text).toBe(200);
  expectMatchesReference('GET', REF, 200, res.body);
  return res.body;
}

async function putPolicy(organizationId: string, body: unknown, auth?: [string, string]) {
  return server.request('PUT', `${BASE}/${organizationId}`, { body, auth });
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('data retention policies', () => {
  it('starts the root organization with the reference defaults', async () => {
    const root = await getPolicy('ROOT_ORGANIZATION_ID');
    expect(root.applicationReports.stages.develop).toEqual({ inheritPolicy: false, enablePurging: true, maxAge: '3 months' });
    expect(root.applicationReports.stages.release).toEqual({ inheritPolicy: false, enablePurging: true, maxAge: '10 years' });
    expect(root.applicationReports.stages['continuous-monitoring']).toEqual({ inheritPolicy: false, enablePurging: true, maxAge: '3 months' });
    expect(Object.keys(root.applicationReports.stages)).toEqual(['develop', 'source', 'build', 'stage-release', 'release', 'operate', 'continuous-monitoring']);
    expect(root.successMetrics).toEqual({ inheritPolicy: false, enablePurging: true, maxAge: '1 year' });
  });

  it('inherits down the organization tree until an organization sets its own', async () => {
    const division = await createOrg('Division');
    const team = await createOrg('Team', division);

    // Nothing set below the root: everything is the root's, flagged inherited.
    const fresh = await getPolicy(team);
    expect(fresh.applicationReports.stages.build).toEqual({ inheritPolicy: true, enablePurging: true, maxAge: '3 months' });
    expect(fresh.successMetrics).toEqual({ inheritPolicy: true, enablePurging: true, maxAge: '1 year' });

    const set = await putPolicy(division, {
      applicationReports: { stages: { build: { inheritPolicy: false, enablePurging: true, maxAge: '30 Days', maxCount: 50 } } },
      successMetrics: { inheritPolicy: false, enablePurging: false },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.text).toBe('');

    const own = await getPolicy(division);
    expect(own.applicationReports.stages.build).toEqual({ inheritPolicy: false, enablePurging: true, maxAge: '30 days', maxCount: 50 });
    expect(own.applicationReports.stages.develop).toEqual({ inheritPolicy: true, enablePurging: true, maxAge: '3 months' });
    expect(own.successMetrics).toEqual({ inheritPolicy: false, enablePurging: false });

    const inherited = await getPolicy(team);
    expect(inherited.applicationReports.stages.build).toEqual({ inheritPolicy: true, enablePurging: true, maxAge: '30 days', maxCount: 50 });
    expect(inherited.successMetrics).toEqual({ inheritPolicy: true, enablePurging: false });

    const parent = await server.request('GET', `${BASE}/${team}/parent`);
    expect(parent.status).toBe(200);
    expectMatchesReference('GET', `${REF}/parent`, 200, parent.body);
    expect(parent.body).toEqual(own);

    // The root changes reach organizations that inherit, not those with their own setting.
    expect((await putPolicy('ROOT_ORGANIZATION_ID', { applicationReports: { stages: { build: { enablePurging: true, maxAge: '2 weeks' }, develop: { enablePurging: true, maxAge: '1 weeks' } } } })).status).toBe(200);
    const after = await getPolicy(team);
    expect(after.applicationReports.stages.develop).toMatchObject({ inheritPolicy: true, maxAge: '1 week' });
    expect(after.applicationReports.stages.build).toMatchObject({ inheritPolicy: true, maxAge: '30 days' });

    // Back to inheriting: the division follows the root again; stages left out stay as they were.
    expect((await putPolicy(division, { applicationReports: { stages: { build: { inheritPolicy: true } } } })).status).toBe(200);
    const back = await getPolicy(division);
    expect(back.applicationReports.stages.build).toEqual({ inheritPolicy: true, enablePurging: true, maxAge: '2 weeks' });
    expect(back.successMetrics).toEqual({ inheritPolicy: false, enablePurging: false });

    expect((await server.request('GET', `${BASE}/ROOT_ORGANIZATION_ID/parent`)).status).toBe(404);
    expect((await server.request('GET', `${BASE}/nope`)).status).toBe(404);
    expect((await server.request('GET', `${BASE}/nope/parent`)).status).toBe(404);
  });

  it('rejects bad values with a clear message and stores nothing', async () => {
    const org = await createOrg('Retention validation');
    const before = await getPolicy(org);
    const stage = (entry: unknown) => ({ applicationReports: { stages: { develop: entry } } });
    const cases: Array<[string, unknown, number, RegExp]> = [
      [org, stage({ enablePurging: true, maxAge: 'forever' }), 400, /maxAge "forever" is not a duration/],
      [org, stage({ enablePurging: true, maxAge: '0 days' }), 400, /not a duration/],
      [org, stage({ enablePurging: true, maxAge: '3 fortnights' }), 400, /not a duration/],
      [org, stage({ enablePurging: true, maxCount: 0 }), 400, /maxCount must be a whole number/],
      [org, stage({ enablePurging: true, maxCount: 1.5 }), 400, /maxCount/],
      [org, stage({ enablePurging: true }), 400, /without maxAge or maxCount/],
      [org, stage({ enablePurging: 'yes' }), 400, /enablePurging/],
      [org, { applicationReports: { stages: { nightly: { enablePurging: false } } } }, 400, /no stage "nightly": use develop, source/],
      [org, { successMetrics: { enablePurging: true } }, 400, /successMetrics enables purging without maxAge/],
      [org, { successMetrics: { enablePurging: true, maxAge: '1 year', maxCount: 3 } }, 400, /no maxCount/],
      ['ROOT_ORGANIZATION_ID', stage({ inheritPolicy: true }), 400, /root organization has no parent/],
      ['ROOT_ORGANIZATION_ID', { successMetrics: { inheritPolicy: true } }, 400, /root organization has no parent/],
      ['nope', stage({ enablePurging: false }), 404, /not found/],
    ];
    for (const [id, body, status, message] of cases) {
      const res = await putPolicy(id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect(await getPolicy(org)).toEqual(before);
    const stored = await server.ctx.store.db.selectFrom('data_retention_policies').selectAll().where('organization_id', '=', org).execute();
    expect(stored).toEqual([]);
  });

  it('checks permissions: 401 without credentials, 403 without the permission', async () => {
    const org = await createOrg('Retention guarded');
    const nobody = await userWithRole(server, 'retention-nobody', null);
    const viewer = await userWithRole(server, 'retention-viewer', 'Developer', 'organization', org);
    const owner = await userWithRole(server, 'retention-owner', 'Owner', 'organization', org);
    const body = { applicationReports: { stages: { develop: { enablePurging: true, maxCount: 10 } } } };

    expect((await server.request('GET', `${BASE}/${org}`, { auth: null })).status).toBe(401);
    expect((await server.request('PUT', `${BASE}/${org}`, { auth: null, body })).status).toBe(401);
    expect((await server.request('GET', `${BASE}/${org}`, { auth: nobody })).status).toBe(403);
    expect((await server.request('GET', `${BASE}/${org}/parent`, { auth: nobody })).status).toBe(403);
    expect((await server.request('GET', `${BASE}/${org}`, { auth: viewer })).status).toBe(200);
    expect((await server.request('GET', `${BASE}/${org}/parent`, { auth: viewer })).status).toBe(200);
    const denied = await putPolicy(org, body, viewer);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/WRITE/);
    expect((await putPolicy('ROOT_ORGANIZATION_ID', body, owner)).status).toBe(403);
    expect((await putPolicy(org, body, owner)).status).toBe(200);
    expect((await getPolicy(org)).applicationReports.stages.develop).toEqual({ inheritPolicy: false, enablePurging: true, maxCount: 10 });
  });

  it('still lets an organization with its own policy be deleted', async () => {
    const org = await createOrg('Retention then gone');
    expect((await putPolicy(org, { successMetrics: { enablePurging: true, maxAge: '6 months' } })).status).toBe(200);
    expect((await server.request('DELETE', `/api/v2/organizations/${org}`)).status).toBe(204);
    const stored = await server.ctx.store.db.selectFrom('data_retention_policies').selectAll().where('organization_id', '=', org).execute();
    expect(stored).toEqual([]);
  });
});
