import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Many requests creating the same name at once. A service checks for the duplicate before it
 * writes, but on PostgreSQL requests run side by side and several pass that check: the unique
 * constraint then refuses all but one, and that must be the same 409 the check gives (it was a 500).
 * On SQLite the writes take turns and the check answers; the test holds on both databases.
 */
let server: TestServer;
let org: string;
let app: string;
const AT_ONCE = 24;

beforeAll(async () => {
  server = await startTestServer();
  org = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Concurrency' } })).body.id;
  app = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'concurrency-app', name: 'Concurrency App', organizationId: org } })).body.id;
});

afterAll(async () => {
  await server?.close();
});

/** Sends the same create AT_ONCE times at once; one succeeds, the others are 409 with the check's message. */
async function createAtOnce(path: string, body: unknown, message: RegExp): Promise<void> {
  const replies = await Promise.all(Array.from({ length: AT_ONCE }, () => server.request('POST', path, { body })));
  const statuses = replies.map((r) => r.status);
  const created = statuses.filter((s) => s === 200 || s === 204);
  expect(created, JSON.stringify(replies.filter((r) => r.status !== 409).map((r) => `${r.status} ${r.text}`))).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(AT_ONCE - 1);
  for (const reply of replies.filter((r) => r.status === 409)) expect(reply.text).toMatch(message);
  // Once more, one after the other: the check's own answer is the same.
  const again = await server.request('POST', path, { body });
  expect(again.status).toBe(409);
  expect(again.text).toMatch(message);
}

describe('concurrent creates of the same name', () => {
  it('applications: one is created, the others are 409', async () => {
    await createAtOnce('/api/v2/applications', { publicId: 'same-app', name: 'Same', organizationId: org }, /^An application with public id "same-app" already exists$/);
    const listed = await server.request('GET', '/api/v2/applications?publicId=same-app');
    expect(listed.body.applications).toHaveLength(1);
  });

  it('organizations', async () => {
    await createAtOnce('/api/v2/organizations', { name: 'Same Org' }, /^An organization named "Same Org" already exists$/);
  });

  it('users', async () => {
    const body = { username: 'same-user', password: 'secret-pass-1', firstName: 'Same', lastName: 'User', email: 'same@example.com' };
    await createAtOnce('/api/v2/users', body, /^User same-user already exists$/);
  });

  it('roles', async () => {
    await createAtOnce('/api/v2/roles', { name: 'Same Role', description: 'x' }, /^A role named "Same Role" already exists$/);
  });

  it('roles whose names differ only by case: one is created, the others are 409 naming it', async () => {
    // The case-insensitive check alone let several through on PostgreSQL; the index on lower(name) decides.
    const names = Array.from({ length: AT_ONCE }, (_, i) => [...'casey role'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''));
    const replies = await Promise.all(names.map((name) => server.request('POST', '/api/v2/roles', { body: { name } })));
    const created = replies.filter((r) => r.status === 200);
    expect(created, JSON.stringify(replies.filter((r) => r.status !== 409).map((r) => `${r.status} ${r.text}`))).toHaveLength(1);
    const winner = created[0]?.body.name;
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expect(reply.status).toBe(409);
      expect(reply.text).toMatch(new RegExp(`^A role named "${winner}" already exists \\(role names are compared regardless of case`));
    }
    const stored = await server.ctx.store.db.selectFrom('roles').select('name').execute();
    expect(stored.filter((r) => r.name.toLowerCase() === 'casey role')).toHaveLength(1);
  });

  it('application categories', async () => {
    await createAtOnce(
      `/api/v2/applicationCategories/organization/${org}`,
      { name: 'Same Category', description: 'x', color: 'dark-blue' },
      new RegExp(`^Organization ${org} already has an application category named "Same Category"$`),
    );
  });

  it('component labels, on an organization and an application', async () => {
    await createAtOnce(`/api/v2/labels/organization/${org}`, { label: 'Same Label', color: 'orange' }, /^The organization already has a label "Same Label"$/);
    await createAtOnce(`/api/v2/labels/application/${app}`, { label: 'Same Label', color: 'orange' }, /^The application already has a label "Same Label"$/);
  });

  it('policies', async () => {
    const body = {
      name: 'Same Policy',
      threatLevel: 5,
      constraints: [{ name: 'C', operator: 'AND', conditions: [{ conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '9' }] }],
    };
    await createAtOnce(`/api/v2/policies/organization/${org}`, body, /^A policy named "Same Policy" already exists on this organization$/);
  });

  it('license threat groups', async () => {
    await createAtOnce(
      `/api/v2/licenseThreatGroups/organization/${org}`,
      { name: 'Same Group', threatLevel: 3, licenseIds: ['MIT'] },
      /^A license threat group named "Same Group" already exists on this organization$/,
    );
  });
});

/** Sends the same save AT_ONCE times at once: all succeed, as if one after the other. */
async function saveAtOnce(method: string, path: string, body: unknown): Promise<void> {
  const replies = await Promise.all(Array.from({ length: AT_ONCE }, () => server.request(method, path, { body })));
  expect(replies.filter((r) => r.status !== 200).map((r) => `${method} ${path}: ${r.status} ${r.text}`)).toEqual([]);
}

describe('concurrent saves of the same override or setting', () => {
  it('license and security overrides, proprietary components, data retention: every save succeeds, one row', async () => {
    await saveAtOnce('POST', `/api/v2/licenseOverrides/organization/${org}`, { packageUrl: 'pkg:npm/left-pad@1.3.0', status: 'OVERRIDDEN', licenseIds: ['MIT'] });
    await saveAtOnce('POST', `/api/v2/securityOverrides/application/${app}`, { referenceId: 'CVE-2021-44228', status: 'NOT_APPLICABLE', packageUrl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar' });
    await saveAtOnce('PUT', `/api/v2/proprietaryComponents/application/${app}`, { packageUrlPatterns: ['pkg:npm/acme-*'] });
    await saveAtOnce('PUT', `/api/v2/dataRetentionPolicies/organizations/${org}`, {
      applicationReports: { stages: { build: { inheritPolicy: false, enablePurging: true, maxAge: '30 days' } } },
    });
    const db = server.ctx.store.db;
    const rows = await Promise.all([
      db.selectFrom('license_overrides').select('id').where('owner_id', '=', org).execute(),
      db.selectFrom('security_overrides').select('id').where('owner_id', '=', app).execute(),
      db.selectFrom('proprietary_components').select('owner_id').where('owner_id', '=', app).execute(),
      db.selectFrom('data_retention_policies').select('organization_id').where('organization_id', '=', org).execute(),
    ]);
    expect(rows.map((r) => r.length)).toEqual([1, 1, 1, 1]);
  });
});
