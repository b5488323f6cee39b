import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/access/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
let parent: string;
let child: string;
const path = (type: string, id: string) => `/api/v2/${type}/${id}/configuration/publicSource/cpe`;

beforeAll(async () => {
  server = await startTestServer();
  parent = (await server.request('POST', '/api/v2/organizations', { body: { name: 'CPE parent' } })).body.id;
  child = (await server.request('POST', '/api/v2/organizations', { body: { name: 'CPE child', parentOrganizationId: parent } })).body.id;
  await createUser(server.ctx, { username: 'nobody', password: 'nobody-pass' });
});
afterAll(async () => {
  await server?.close();
});

describe('CPE matching configuration', () => {
  it('is off by default and inherited down the tree once set', async () => {
    const initial = await server.request('GET', path('organization', child));
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ enabled: false, allowOverride: true, ownerId: child });

    const set = await server.request('PUT', path('organization', parent), { body: { enabled: true } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ enabled: true, ownerId: parent });

    const inherited = await server.request('GET', path('organization', child));
    expect(inherited.body).toMatchObject({ enabled: true, inheritedFromOwnerId: parent });

    const own = await server.request('PUT', path('organization', child), { body: { enabled: false } });
    expect(own.body).toMatchObject({ enabled: false });
    expect(own.body.inheritedFromOwnerId).toBeUndefined();
  });

  it('cannot be overridden below an owner that forbids it', async () => {
    await server.request('PUT', path('organization', parent), { body: { enabled: true, allowOverride: false } });
    const applicable = await server.request('GET', path('organization', child));
    expect(applicable.body).toMatchObject({ enabled: true, inheritedFromOwnerId: parent });
    const refused = await server.request('PUT', path('organization', child), { body: { enabled: false } });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/does not allow overriding/);
  });

  it('checks owner, input and permissions', async () => {
    expect((await server.request('GET', path('organization', 'missing'))).status).toBe(404);
    expect((await server.request('GET', path('repository', parent))).status).toBe(400);
    expect((await server.request('PUT', path('organization', parent), { body: { enabled: 'yes' } })).status).toBe(400);
    expect((await server.request('GET', path('organization', parent), { auth: null })).status).toBe(401);
    expect((await server.request('GET', path('organization', parent), { auth: ['nobody', 'nobody-pass'] })).status).toBe(403);
    expect((await server.request('PUT', path('organization', parent), { auth: ['nobody', 'nobody-pass'], body: { enabled: false } })).status).toBe(403);
  });
});
