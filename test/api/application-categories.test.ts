import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyTagId } from '../../src/services/policies/policy-tags.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createOrganization } from '../helpers/owners.js';

let server: TestServer;
const _PASSWORD = 'password123';
const BASE = '/api/v2/applicationCategories';

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

async function createCategory(organizationId: string, name: string, color = 'light-blue') {
  return server.request('POST', `${BASE}/organization/${organizationId}`, { body: { name, description: `${name} apps`, color } });
}

async function createApp(publicId: string, organizationId: string, tagIds: string[] = []) {
  const res = await server.request('POST', '/api/v2/applications', {
    body: { publicId, name: publicId, organizationId, applicationTags: tagIds.map((tagId) => ({ tagId })) },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: string; publicId: string };
}

const names = (list: Array<{ name: string }>) => list.map((c) => c.name);

let parent: string;
let child: string;
let sibling: string;
beforeAll(async () => {
  server = await startTestServer();
  parent = await createOrg('Division');
  child = await createOrg('Team', parent);
  sibling = await createOrg('Other division');
});
afterAll(async () => {
  await server?.close();
});

describe('application categories', () => {
  it('creates, lists, updates and deletes categories of an organization', async () => {
    const created = await createCategory(parent, 'Distributed');
    expect(created.status, created.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/applicationCategories/organization/{organizationId}', 200, created.body);
    expect(created.body).toMatchObject({ name: 'Distributed', description: 'Distributed apps', color: 'light-blue', organizationId: parent });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);

    const list = await server.request('GET', `${BASE}/organization/${parent}`);
    expect(list.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/organization/{organizationId}', 200, list.body);
    expect(list.body).toEqual([created.body]);
    // Categories are the organization's "tags" in the Organizations API too.
    const org = await server.request('GET', `/api/v2/organizations/${parent}`);
    expect(org.body.tags).toEqual([{ id: created.body.id, name: 'Distributed', description: 'Distributed apps', color: 'light-blue' }]);

    const updated = await server.request('PUT', `${BASE}/organization/${parent}`, {
      body: { id: created.body.id, name: 'Hosted', description: 'runs on our servers', color: 'dark-purple' },
    });
    expect(updated.status, updated.text).toBe(200);
    expectMatchesReference('PUT', '/api/v2/applicationCategories/organization/{organizationId}', 200, updated.body);
    expect(updated.body).toEqual({ id: created.body.id, name: 'Hosted', description: 'runs on our servers', color: 'dark-purple', organizationId: parent });
    expect((await server.request('GET', `${BASE}/organization/${parent}`)).body).toEqual([updated.body]);

    const app = await createApp('categorized', parent, [created.body.id]);
    const deleted = await server.request('DELETE', `${BASE}/organization/${parent}/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', `${BASE}/organization/${parent}`)).body).toEqual([]);
    // Deleting a category takes it off the applications carrying it.
    expect((await server.request('GET', `/api/v2/applications/${app.id}`)).body.applicationTags).toEqual([]);
    expect((await server.request('DELETE', `${BASE}/organization/${parent}/${created.body.id}`)).status).toBe(404);
  });

  it('shows applicable categories inherited down the organization tree, and where they are applied', async () => {
    const root = (await createCategory('ROOT_ORGANIZATION_ID', 'Everywhere', 'yellow')).body;
    expect((await createCategory(parent, 'Division wide', 'orange')).status).toBe(200);
    const team = (await createCategory(child, 'Team only', 'dark-red')).body;
    const other = (await createCategory(sibling, 'Elsewhere', 'green')).body;

    const applicable = await server.request('GET', `${BASE}/organization/${child}/applicable`);
    expect(applicable.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/organization/{organizationId}/applicable', 200, applicable.body);
    const byOwner = applicable.body.applicationCategoriesByOwner;
    expect(byOwner.map((o: { ownerId: string; ownerName: string; ownerType: string }) => [o.ownerType, o.ownerId, o.ownerName])).toEqual([
      ['organization', 'ROOT_ORGANIZATION_ID', 'Root Organization'],
      ['organization', parent, 'Division'],
      ['organization', child, 'Team'],
    ]);
    expect(byOwner.map((o: { applicationCategories: Array<{ name: string }> }) => names(o.applicationCategories))).toEqual([
      ['Everywhere'],
      ['Division wide'],
      ['Team only'],
    ]);

    const app = await createApp('team-app', child, [root.id, team.id]);
    const forApp = await server.request('GET', `${BASE}/application/team-app`);
    expect(forApp.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/application/{applicationPublicId}', 200, forApp.body);
    expect(forApp.body).toEqual(applicable.body);

    const flat = await server.request('GET', `${BASE}/application/team-app/applicable`);
    expect(flat.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/application/{applicationPublicId}/applicable', 200, flat.body);
    expect(names(flat.body)).toEqual(['Everywhere', 'Division wide', 'Team only']);
    expect(names(flat.body)).not.toContain(other.name);

    const all = await server.request('GET', `${BASE}/application`);
    expect(all.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/application', 200, all.body);
    expect(names(all.body)).toEqual(expect.arrayContaining(['Everywhere', 'Division wide', 'Team only', 'Elsewhere']));

    const applied = await server.request('GET', `${BASE}/organization/ROOT_ORGANIZATION_ID/applied`);
    expect(applied.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/organization/{organizationId}/applied', 200, applied.body);
    expect(applied.body.applicationTagsByOwner).toEqual([
      {
        ownerType: 'application',
        ownerId: app.id,
        ownerName: 'team-app',
        applicationTags: [{ id: expect.any(String), tagId: root.id, applicationId: app.id }],
      },
    ]);
    expect((await server.request('GET', `${BASE}/organization/${sibling}/applied`)).body).toEqual({ applicationTagsByOwner: [] });

    const policy = await server.request('GET', `${BASE}/organization/${parent}/policy`);
    expect(policy.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/organization/{organizationId}/policy', 200, policy.body);
    expect(policy.body).toEqual([]);

    expect((await server.request('GET', `${BASE}/application/no-such-app`)).status).toBe(404);
    expect((await server.request('GET', `${BASE}/application/no-such-app/applicable`)).status).toBe(404);
    expect((await server.request('GET', `${BASE}/organization/nope/applicable`)).status).toBe(404);
    expect((await server.request('GET', `${BASE}/organization/nope/policy`)).status).toBe(404);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const org = await createOrg('Validation');
    expect((await createCategory(org, 'Existing')).status).toBe(200);
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ color: 'light-red' }, 400, /name is required/],
      [{ name: 'x'.repeat(201), color: 'light-red' }, 400, /at most 200/],
      [{ name: 'No color' }, 400, /color is required/],
      [{ name: 'Pink', color: 'pink' }, 400, /color "pink" is not one of/],
      [{ name: 'Long', color: 'red', description: 'd'.repeat(1001) }, 400, /description must be at most 1000/],
      [{ name: 'Wrong org', color: 'red', organizationId: parent }, 400, /differs/],
      [{ id: 'abc', name: 'With id', color: 'red' }, 400, /id must not be given/],
      [{ name: 7, color: 'red' }, 400, /name/],
      [{ name: 'Existing', color: 'red' }, 409, /already has an application category named "Existing"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await server.request('POST', `${BASE}/organization/${org}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect(names((await server.request('GET', `${BASE}/organization/${org}`)).body)).toEqual(['Existing']);
    expect((await createCategory('nope', 'Orphan')).status).toBe(404);

    const second = (await createCategory(org, 'Second')).body;
    const updates: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ name: 'No id', color: 'red' }, 400, /id of the application category to update is required/],
      [{ id: second.id, name: 'Existing', color: 'red' }, 409, /already has/],
      [{ id: second.id, name: 'Bad color', color: 'plaid' }, 400, /color "plaid"/],
      [{ id: '0123456789abcdef0123456789abcdef', name: 'Ghost', color: 'red' }, 404, /not found in organization/],
    ];
    for (const [body, status, message] of updates) {
      const res = await server.request('PUT', `${BASE}/organization/${org}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    // A category is changed and deleted only through the organization that defines it.
    expect((await server.request('PUT', `${BASE}/organization/${parent}`, { body: { id: second.id, name: 'Moved', color: 'red' } })).status).toBe(404);
    expect((await server.request('DELETE', `${BASE}/organization/${parent}/${second.id}`)).status).toBe(404);
    expect(names((await server.request('GET', `${BASE}/organization/${org}`)).body)).toEqual(['Existing', 'Second']);
  });

  it('checks permissions: 401 without credentials, 403 without the permission', async () => {
    const org = await createOrg('Guarded');
    const category = (await createCategory(org, 'Guarded category')).body;
    await createApp('guarded-app', org, [category.id]);
    const nobody = await userWithRole(server, 'cat-nobody', null);
    const viewer = await userWithRole(server, 'cat-viewer', 'Developer', 'organization', org);

    expect((await server.request('GET', `${BASE}/organization/${org}`, { auth: null })).status).toBe(401);
    expect((await server.request('POST', `${BASE}/organization/${org}`, { auth: null, body: { name: 'x', color: 'red' } })).status).toBe(401);

    for (const path of [`${BASE}/organization/${org}`, `${BASE}/organization/${org}/applicable`, `${BASE}/organization/${org}/applied`, `${BASE}/organization/${org}/policy`, `${BASE}/application/guarded-app`, `${BASE}/application/guarded-app/applicable`]) {
      const denied = await server.request('GET', path, { auth: nobody });
      expect(denied.status, path).toBe(403);
      expect((await server.request('GET', path, { auth: viewer })).status, path).toBe(200);
    }
    expect((await server.request('GET', `${BASE}/application`, { auth: nobody })).body).toEqual([]);
    expect(names((await server.request('GET', `${BASE}/application`, { auth: viewer })).body)).toContain('Guarded category');

    const create = await server.request('POST', `${BASE}/organization/${org}`, { auth: viewer, body: { name: 'Viewer made', color: 'red' } });
    expect(create.status).toBe(403);
    expect(create.text).toMatch(/WRITE/);
    expect((await server.request('PUT', `${BASE}/organization/${org}`, { auth: viewer, body: { id: category.id, name: 'x', color: 'red' } })).status).toBe(403);
    expect((await server.request('DELETE', `${BASE}/organization/${org}/${category.id}`, { auth: viewer })).status).toBe(403);
    expect(names((await server.request('GET', `${BASE}/organization/${org}`)).body)).toEqual(['Guarded category']);
  });

  it('lists the policies using an organization’s categories and refuses to delete a category in use', async () => {
    const org = await createOrg('Policy categories');
    const team = await createOrg('Policy team', org);
    const other = await createOrg('Policy elsewhere');
    const distributed = (await createCategory(org, 'Distributed')).body.id as string;
    const internal = (await createCategory(org, 'Internal')).body.id as string;
    const unused = (await createCategory(org, 'Unused')).body.id as string;
    const foreign = (await createCategory(other, 'Foreign')).body.id as string;
    const app = await createApp('policy-categorized', team, [distributed]);
    const policy = async (ownerId: string, name: string, tagIds: string[], categoryCondition?: string) => {
      const conditions = [{ conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '7' }];
      if (categoryCondition) conditions.push({ conditionTypeId: 'ApplicationCategory', operator: 'is', value: categoryCondition });
      const res = await server.request('POST', `/api/v2/policies/organization/${ownerId}`, {
        body: { name, threatLevel: 7, tagIds, constraints: [{ name: 'Severe', operator: 'AND', conditions }] },
      });
      expect(res.status, res.text).toBe(200);
      return res.body.id as string;
    };
    const shipped = await policy(org, 'Shipped severe', [distributed]);
    const teamPolicy = await policy(team, 'Team internal severe', [distributed], internal);
    await policy(org, 'Everywhere severe', []);
    await policy(other, 'Foreign severe', [foreign], foreign);

    const listed = await server.request('GET', `${BASE}/organization/${org}/policy`);
    expect(listed.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applicationCategories/organization/{organizationId}/policy', 200, listed.body);
    expect(listed.body).toEqual([
      { id: policyTagId(shipped, distributed), policyId: shipped, tagId: distributed },
      ...[
        { id: policyTagId(teamPolicy, distributed), policyId: teamPolicy, tagId: distributed },
        { id: policyTagId(teamPolicy, internal), policyId: teamPolicy, tagId: internal },
      ].sort((a, b) => a.tagId.localeCompare(b.tagId)),
    ]);
    // The same PolicyTag rows as the policy export writes.
    const exported = (await server.request('GET', `/api/v2/policy/organization/${org}/export`)).body;
    expect(exported.policyTags).toEqual([{ id: policyTagId(shipped, distributed), policyId: shipped, tagId: distributed }]);
    // An organization without categories, and one whose categories no policy uses.
    expect((await server.request('GET', `${BASE}/organization/${team}/policy`)).body).toEqual([]);
    expect((await server.request('GET', `${BASE}/organization/${child}/policy`)).body).toEqual([]);
    expect((await server.request('GET', `${BASE}/organization/0123456789abcdef0123456789abcdef/policy`)).status).toBe(404);

    const refused = await server.request('DELETE', `${BASE}/organization/${org}/${distributed}`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Application category "Distributed" is used by policies');
    expect(refused.text).toContain('"Shipped severe"');
    expect(refused.text).toContain('"Team internal severe"');
    expect(names((await server.request('GET', `${BASE}/organization/${org}`)).body)).toEqual(['Distributed', 'Internal', 'Unused']);
    expect((await server.request('GET', `/api/v2/applications/${app.id}`)).body.applicationTags).toEqual([expect.objectContaining({ tagId: distributed })]);

    // Used only in a condition: refused too, naming the one policy.
    const conditionOnly = await server.request('DELETE', `${BASE}/organization/${org}/${internal}`);
    expect(conditionOnly.status).toBe(400);
    expect(conditionOnly.text).toMatch(/used by policy "Team internal severe" \(organization [0-9a-f]{32}\)/);

    expect((await server.request('DELETE', `${BASE}/organization/${org}/${unused}`)).status).toBe(204);
    expect((await server.request('DELETE', `/api/v2/policies/organization/${team}/${teamPolicy}`)).status).toBe(204);
    expect((await server.request('DELETE', `${BASE}/organization/${org}/${internal}`)).status).toBe(204);
    expect((await server.request('GET', `${BASE}/organization/${org}/policy`)).body).toEqual([
      { id: policyTagId(shipped, distributed), policyId: shipped, tagId: distributed },
    ]);
  });

  it('still lets an organization with categories be deleted', async () => {
    const org = await createOrg('Tagged then gone');
    expect((await createCategory(org, 'Ephemeral')).status).toBe(200);
    expect((await server.request('DELETE', `/api/v2/organizations/${org}`)).status).toBe(204);
    const left = await server.ctx.store.db.selectFrom('application_categories').selectAll().where('organization_id', '=', org).execute();
    expect(left).toEqual([]);
  });
});
