import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('organizations', () => {
  it('lists the root organization to admin', async () => {
    const res = await server.request('GET', '/api/v2/organizations');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/organizations', 200, res.body);
    expect(res.body.organizations.map((o: { id: string }) => o.id)).toContain('ROOT_ORGANIZATION_ID');
  });

  it('creates, reads, moves and deletes an organization, with tags', async () => {
    const created = await server.request('POST', '/api/v2/organizations', {
      body: { name: 'Engineering', tags: [{ name: 'Internal', description: 'internal apps', color: 'light-blue' }] },
    });
    expect(created.status).toBe(200);
    expectMatchesReference('POST', '/api/v2/organizations', 200, created.body);
    expect(created.body).toMatchObject({ name: 'Engineering', parentOrganizationId: 'ROOT_ORGANIZATION_ID' });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.body.tags[0]).toMatchObject({ name: 'Internal', color: 'light-blue' });

    const child = await server.request('POST', '/api/v2/organizations', { body: { name: 'Platform', parentOrganizationId: created.body.id } });
    expect(child.status).toBe(200);

    const got = await server.request('GET', `/api/v2/organizations/${child.body.id}`);
    expectMatchesReference('GET', '/api/v2/organizations/{organizationId}', 200, got.body);
    expect(got.body.parentOrganizationId).toBe(created.body.id);

    const byName = await server.request('GET', '/api/v2/organizations?organizationName=Platform');
    expect(byName.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Platform']);

    const byId = await server.request('GET', `/api/v2/organizations/byid?id=${child.body.id}&id=${created.body.id}`);
    expectMatchesReference('GET', '/api/v2/organizations/byid', 200, byId.body);
    expect(byId.body.organizations).toHaveLength(2);

    // A parent cannot move below its own child.
    const cycle = await server.request('PUT', `/api/v2/organizations/${created.body.id}/move/destination/${child.body.id}`);
    expect(cycle.status).toBe(409);
    expectMatchesReference('PUT', '/api/v2/organizations/{organizationId}/move/destination/{destinationId}', 409, cycle.body);
    expect(cycle.body.errors[0].type).toBe('PARENT_HIERARCHY');

    const moved = await server.request('PUT', `/api/v2/organizations/${child.body.id}/move/destination/ROOT_ORGANIZATION_ID`);
    expect(moved.status).toBe(200);
    expect((await server.request('GET', `/api/v2/organizations/${child.body.id}`)).body.parentOrganizationId).toBe('ROOT_ORGANIZATION_ID');

    expect((await server.request('DELETE', `/api/v2/organizations/${child.body.id}`)).status).toBe(204);
    expect((await server.request('GET', `/api/v2/organizations/${child.body.id}`)).status).toBe(404);
  });

  it('refuses to delete an organization that has children', async () => {
    const parent = await server.request('POST', '/api/v2/organizations', { body: { name: 'Parent' } });
    await server.request('POST', '/api/v2/organizations', { body: { name: 'Kid', parentOrganizationId: parent.body.id } });
    const res = await server.request('DELETE', `/api/v2/organizations/${parent.body.id}`);
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/child organizations/);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = (await server.request('GET', '/api/v2/organizations')).body.organizations.length;
    const cases: Array<[unknown, number, RegExp]> = [
      [{}, 400, /name is required/],
      [{ name: 'x'.repeat(201) }, 400, /at most 200/],
      [{ name: 'Bad tag', tags: [{ name: 't', color: 'pink' }] }, 400, /color "pink"/],
      [{ name: 42 }, 400, /name/],
      [{ name: 'Orphan', parentOrganizationId: 'nope' }, 404, /not found/],
    ];
    for (const [body, status, message] of cases) {
      const res = await server.request('POST', '/api/v2/organizations', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    const malformed = await server.request('POST', '/api/v2/organizations', { raw: { contentType: 'application/json', data: '{"name":' } });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/not valid JSON/);
    const dup = await server.request('POST', '/api/v2/organizations', { body: { name: 'Root Organization' } });
    expect(dup.status).toBe(409);
    expect((await server.request('GET', '/api/v2/organizations')).body.organizations.length).toBe(before);
  });

  it('answers 401 without or with wrong credentials and 404 for unknown ids', async () => {
    expect((await server.request('GET', '/api/v2/organizations', { auth: null })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/organizations', { auth: ['admin', 'wrong'] })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/organizations/0123456789abcdef0123456789abcdef')).status).toBe(404);
  });

  it('also answers under /platform for cloud-style clients', async () => {
    const res = await server.request('GET', '/platform/api/v2/organizations');
    expect(res.status).toBe(200);
    expect(res.body.organizations.length).toBeGreaterThan(0);
  });
});
