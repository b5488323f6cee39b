import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createOrganization } from '../helpers/owners.js';

let server: TestServer;
const _PASSWORD = 'password123';

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

async function createCategory(organizationId: string, name: string): Promise<string> {
  const res = await server.request('POST', `/api/v2/applicationCategories/organization/${organizationId}`, {
    body: { name, description: name, color: 'dark-green' },
  });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

async function createApp(body: Record<string, unknown>, auth?: [string, string]) {
  return server.request('POST', '/api/v2/applications', { body, auth });
}

async function countApps(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('applications').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

let engineering: string;
let sales: string;
beforeAll(async () => {
  server = await startTestServer();
  engineering = await createOrg('Engineering');
  sales = await createOrg('Sales');
});
afterAll(async () => {
  await server?.close();
});

describe('applications', () => {
  it('creates, reads, lists, updates and deletes an application', async () => {
    const internal = await createCategory(engineering, 'Internal');
    const created = await createApp({
      publicId: 'web-shop',
      name: 'Web Shop',
      organizationId: engineering,
      contactUserName: 'admin',
      applicationTags: [{ tagId: internal }],
    });
    expect(created.status, created.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/applications', 200, created.body);
    expect(created.body).toMatchObject({ publicId: 'web-shop', name: 'Web Shop', organizationId: engineering, contactUserName: 'admin' });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.body.applicationTags).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{32}$/), tagId: internal, applicationId: created.body.id }]);
    const id = created.body.id;

    const got = await server.request('GET', `/api/v2/applications/${id}`);
    expect(got.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationId}', 200, got.body);
    expect(got.body).toEqual(created.body);

    const plain = await server.request('GET', '/api/v2/applications?publicId=web-shop');
    expectMatchesReference('GET', '/api/v2/applications', 200, plain.body);
    expect(plain.body.applications).toHaveLength(1);
    expect(plain.body.applications[0].applicationTags).toBeUndefined();
    const withTags = await server.request('GET', '/api/v2/applications?publicId=web-shop&publicId=nothing-here&includeCategories=true');
    expectMatchesReference('GET', '/api/v2/applications', 200, withTags.body);
    expect(withTags.body.applications.map((a: { applicationTags: Array<{ tagId: string }> }) => a.applicationTags.map((t) => t.tagId))).toEqual([[internal]]);

    const byOrg = await server.request('GET', `/api/v2/applications/organization/${engineering}`);
    expect(byOrg.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/organization/{organizationId}', 200, byOrg.body);
    expect(byOrg.body.applications.map((a: { publicId: string }) => a.publicId)).toContain('web-shop');
    expect((await server.request('GET', `/api/v2/applications/organization/${sales}`)).body.applications).toEqual([]);
    expect((await server.request('GET', '/api/v2/applications/organization/nope')).status).toBe(404);

    const updated = await server.request('PUT', `/api/v2/applications/${id}`, {
      body: { name: 'Web Shop 2', publicId: 'web-shop-2', contactUserName: 'someone', applicationTags: [] },
    });
    expect(updated.status, updated.text).toBe(200);
    expectMatchesReference('PUT', '/api/v2/applications/{applicationId}', 200, updated.body);
    expect(updated.body).toMatchObject({ name: 'Web Shop 2', publicId: 'web-shop-2', contactUserName: 'someone', applicationTags: [] });
    // Fields left out stay as they are.
    const renamed = await server.request('PUT', `/api/v2/applications/${id}`, { body: { name: 'Web Shop 3' } });
    expect(renamed.body).toMatchObject({ name: 'Web Shop 3', publicId: 'web-shop-2', contactUserName: 'someone' });

    const deleted = await server.request('DELETE', `/api/v2/applications/${id}`);
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', `/api/v2/applications/${id}`)).status).toBe(404);
    expect((await server.request('DELETE', `/api/v2/applications/${id}`)).status).toBe(404);
    const assignments = await server.ctx.store.db.selectFrom('application_category_assignments').selectAll().where('application_id', '=', id).execute();
    expect(assignments).toEqual([]);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const otherOrgCategory = await createCategory(sales, 'Sales only');
    const taken = await createApp({ publicId: 'taken', name: 'Taken', organizationId: engineering });
    expect(taken.status).toBe(200);
    const before = await countApps();
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ name: 'No id', organizationId: engineering }, 400, /publicId is required/],
      [{ publicId: 'has space', name: 'x', organizationId: engineering }, 400, /may contain only letters, digits/],
      [{ publicId: 'slash/no', name: 'x', organizationId: engineering }, 400, /may contain only letters, digits/],
      [{ publicId: 'p'.repeat(201), name: 'x', organizationId: engineering }, 400, /at most 200/],
      [{ publicId: 'no-name', organizationId: engineering }, 400, /name is required/],
      [{ publicId: 'long-name', name: 'n'.repeat(201), organizationId: engineering }, 400, /at most 200/],
      [{ publicId: 'no-org', name: 'x' }, 400, /organizationId is required/],
      [{ publicId: 'bad-org', name: 'x', organizationId: 'nope' }, 404, /Organization nope not found/],
      [{ publicId: 'num', name: 42, organizationId: engineering }, 400, /name/],
      [{ publicId: 'taken', name: 'Again', organizationId: engineering }, 409, /public id "taken" already exists/],
      [{ publicId: 'foreign-tag', name: 'x', organizationId: engineering, applicationTags: [{ tagId: otherOrgCategory }] }, 400, /not available/],
      [{ publicId: 'no-tag-id', name: 'x', organizationId: engineering, applicationTags: [{}] }, 400, /tagId is required/],
      [{ id: 'abc', publicId: 'with-id', name: 'x', organizationId: engineering }, 400, /id must not be given/],
    ];
    for (const [body, status, message] of cases) {
      const res = await createApp(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect(await countApps()).toBe(before);

    const id = taken.body.id;
    const other = await createApp({ publicId: 'other', name: 'Other', organizationId: engineering });
    const updates: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ publicId: 'other' }, 409, /already exists/],
      [{ publicId: 'bad id!' }, 400, /may contain only/],
      [{ organizationId: sales }, 400, /move the application/],
      [{ id: other.body.id }, 400, /differs/],
      [{ applicationTags: [{ tagId: otherOrgCategory }] }, 400, /not available/],
    ];
    for (const [body, status, message] of updates) {
      const res = await server.request('PUT', `/api/v2/applications/${id}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', `/api/v2/applications/${id}`)).body).toEqual(taken.body);
    expect((await server.request('PUT', '/api/v2/applications/0123456789abcdef0123456789abcdef', { body: { name: 'x' } })).status).toBe(404);
  });

  it('moves an application, refusing when its categories would not be available there', async () => {
    const parent = await createOrg('Platform');
    const child = await createOrg('Platform Tools', parent);
    const platformTag = await createCategory(parent, 'Platform wide');
    const app = await createApp({ publicId: 'mover', name: 'Mover', organizationId: parent, applicationTags: [{ tagId: platformTag }] });
    expect(app.status).toBe(200);

    // Into a child organization: the parent's category is still available there.
    const down = await server.request('POST', `/api/v2/applications/${app.body.id}/move/organization/${child}`);
    expect(down.status, down.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/applications/{applicationId}/move/organization/{organizationId}', 200, down.body);
    expect(down.body).toEqual({ errors: [], warnings: [] });
    expect((await server.request('GET', `/api/v2/applications/${app.body.id}`)).body.organizationId).toBe(child);

    // Into Sales: the Platform category is not, so nothing moves.
    const away = await server.request('POST', `/api/v2/applications/${app.body.id}/move/organization/${sales}`);
    expect(away.status).toBe(409);
    expect(away.body.errors[0]).toMatch(/"Platform wide" of organization "Platform" is not available/);
    expect((await server.request('GET', `/api/v2/applications/${app.body.id}`)).body.organizationId).toBe(child);

    expect((await server.request('POST', `/api/v2/applications/${app.body.id}/move/organization/nope`)).status).toBe(404);
    expect((await server.request('POST', `/api/v2/applications/0123456789abcdef0123456789abcdef/move/organization/${sales}`)).status).toBe(404);
  });

  it('clones an application with its contact, categories and labels', async () => {
    const tag = await createCategory(engineering, 'Cloneable');
    const source = await createApp({ publicId: 'source-app', name: 'Source', organizationId: engineering, contactUserName: 'admin', applicationTags: [{ tagId: tag }] });
    const label = await server.request('POST', `/api/v2/labels/application/${source.body.id}`, { body: { label: 'Reviewed', color: 'orange' } });
    expect(label.status).toBe(200);

    const clone = await server.request('POST', `/api/v2/applications/${source.body.id}/clone?clonedApplicationName=Copy&clonedApplicationPublicId=copy-app`);
    expect(clone.status, clone.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/applications/{sourceApplicationId}/clone', 200, clone.body);
    expect(clone.body).toMatchObject({ name: 'Copy', publicId: 'copy-app', organizationId: engineering, contactUserName: 'admin' });
    expect(clone.body.id).not.toBe(source.body.id);
    expect(clone.body.applicationTags.map((t: { tagId: string }) => t.tagId)).toEqual([tag]);
    const labels = await server.request('GET', `/api/v2/labels/application/${clone.body.id}`);
    expect(labels.body.map((l: { label: string; ownerId: string }) => [l.label, l.ownerId])).toEqual([['Reviewed', clone.body.id]]);

    // Without names: derived ones, and a free public id each time.
    const first = await server.request('POST', `/api/v2/applications/${source.body.id}/clone`);
    const second = await server.request('POST', `/api/v2/applications/${source.body.id}/clone`);
    expect([first.body.name, first.body.publicId, second.body.publicId]).toEqual(['Source (copy)', 'source-app-copy', 'source-app-copy-2']);

    const dup = await server.request('POST', `/api/v2/applications/${source.body.id}/clone?clonedApplicationPublicId=copy-app`);
    expect(dup.status).toBe(409);
    const bad = await server.request('POST', `/api/v2/applications/${source.body.id}/clone?clonedApplicationPublicId=bad%20id`);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/may contain only/);
    expect((await server.request('POST', '/api/v2/applications/0123456789abcdef0123456789abcdef/clone')).status).toBe(404);
  });

  it('checks permissions: 401 without credentials, 403 without the permission, listings filtered', async () => {
    const visibleApp = await createApp({ publicId: 'visible', name: 'Visible', organizationId: sales });
    const hiddenApp = await createApp({ publicId: 'hidden', name: 'Hidden', organizationId: engineering });
    const nobody = await userWithRole(server, 'nobody', null);
    const salesDev = await userWithRole(server, 'sales-dev', 'Developer', 'organization', sales);
    const salesOwner = await userWithRole(server, 'sales-owner', 'Owner', 'organization', sales);

    expect((await server.request('GET', '/api/v2/applications', { auth: null })).status).toBe(401);
    expect((await server.request('POST', '/api/v2/applications', { auth: null, body: { publicId: 'anon2', name: 'x', organizationId: sales } })).status).toBe(401);

    const listed = await server.request('GET', '/api/v2/applications', { auth: salesDev });
    expect(listed.status).toBe(200);
    const publicIds = listed.body.applications.map((a: { publicId: string }) => a.publicId);
    expect(publicIds).toContain('visible');
    expect(publicIds).not.toContain('hidden');
    expect((await server.request('GET', '/api/v2/applications', { auth: nobody })).body.applications).toEqual([]);
    expect((await server.request('GET', `/api/v2/applications/organization/${engineering}`, { auth: salesDev })).body.applications).toEqual([]);

    expect((await server.request('GET', `/api/v2/applications/${visibleApp.body.id}`, { auth: salesDev })).status).toBe(200);
    const forbiddenRead = await server.request('GET', `/api/v2/applications/${hiddenApp.body.id}`, { auth: salesDev });
    expect(forbiddenRead.status).toBe(403);
    expect(forbiddenRead.text).toMatch(/READ/);

    // Developers may not add applications: ADD_APPLICATION on the organization is needed.
    const denied = await createApp({ publicId: 'dev-made', name: 'x', organizationId: sales }, salesDev);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/ADD_APPLICATION/);
    expect((await createApp({ publicId: 'owner-made', name: 'x', organizationId: sales }, salesOwner)).status).toBe(200);
    expect((await createApp({ publicId: 'owner-elsewhere', name: 'x', organizationId: engineering }, salesOwner)).status).toBe(403);

    expect((await server.request('PUT', `/api/v2/applications/${visibleApp.body.id}`, { auth: salesDev, body: { name: 'x' } })).status).toBe(403);
    expect((await server.request('DELETE', `/api/v2/applications/${visibleApp.body.id}`, { auth: salesDev })).status).toBe(403);
    expect((await server.request('POST', `/api/v2/applications/${visibleApp.body.id}/clone`, { auth: salesDev })).status).toBe(403);
    // Moving needs WRITE on the destination too.
    const move = await server.request('POST', `/api/v2/applications/${visibleApp.body.id}/move/organization/${engineering}`, { auth: salesOwner });
    expect(move.status).toBe(403);
    expect((await server.request('GET', `/api/v2/applications/${visibleApp.body.id}`)).body.organizationId).toBe(sales);
    expect((await server.request('POST', `/api/v2/applications/${visibleApp.body.id}/clone`, { auth: salesOwner })).status).toBe(200);
    expect((await server.request('DELETE', `/api/v2/applications/${visibleApp.body.id}`, { auth: salesOwner })).status).toBe(204);
  });

  it('lets an organization with applications be deleted only once they are gone', async () => {
    const org = await createOrg('Short lived');
    const app = await createApp({ publicId: 'short-lived', name: 'Short lived', organizationId: org });
    expect((await server.request('DELETE', `/api/v2/organizations/${org}`)).status).toBe(409);
    expect((await server.request('DELETE', `/api/v2/applications/${app.body.id}`)).status).toBe(204);
    expect((await server.request('DELETE', `/api/v2/organizations/${org}`)).status).toBe(204);
  });
});
