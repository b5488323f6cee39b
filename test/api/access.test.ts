import { afterAll, beforeAll, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { createUser } from '../../src/services/access/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** Role memberships granted through the API decide what a user can do, inherited down the organization tree. */
let server: TestServer;
const DEV_USER: [string, string] = ['devon', 'devon-password'];

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: DEV_USER[0], password: DEV_USER[1] });
});
afterAll(async () => {
  await server?.close();
});

it('a Developer on an organization reads it and its children, nothing else, until the role is revoked', async () => {
  const create = async (name: string, parentOrganizationId?: string) =>
    (await server.request('POST', '/api/v2/organizations', { body: { name, parentOrganizationId } })).body.id as string;
  const eng = await create('Engineering');
  const platform = await create('Platform', eng);
  const runtime = await create('Runtime', platform);
  const sales = await create('Sales');
  const read = (id: string) => server.request('GET', `/api/v2/organizations/${id}`, { auth: DEV_USER });

  // Before any grant: nothing.
  expect((await read(eng)).status).toBe(403);

  const grant = `/api/v2/roleMemberships/organization/${eng}/role/${builtInRoleId('Developer')}/USER/devon`;
  expect((await server.request('PUT', grant)).status).toBe(204);

  for (const id of [eng, platform, runtime]) {
    const res = await read(id);
    expect(res.status, id).toBe(200);
    expect(res.body.id).toBe(id);
  }
  // Neither the sibling nor the parent (root) organization.
  expect((await read(sales)).status).toBe(403);
  expect((await read('ROOT_ORGANIZATION_ID')).status).toBe(403);
  // Listings show only what the role reaches.
  const listed = await server.request('GET', '/api/v2/organizations', { auth: DEV_USER });
  expect(listed.body.organizations.map((o: { name: string }) => o.name).sort()).toEqual(['Engineering', 'Platform', 'Runtime']);
  // Developer has no WRITE: creating an organization, even below Engineering, is refused.
  const createAttempt = await server.request('POST', '/api/v2/organizations', { auth: DEV_USER, body: { name: 'Rogue' } });
  expect(createAttempt.status).toBe(403);
  expect(createAttempt.text).toMatch(/WRITE/);
  expect((await server.request('POST', '/api/v2/organizations', { auth: DEV_USER, body: { name: 'Rogue', parentOrganizationId: eng } })).status).toBe(403);

  expect((await server.request('DELETE', grant)).status).toBe(204);
  for (const id of [eng, platform, runtime]) expect((await read(id)).status, id).toBe(403);
  expect((await server.request('GET', '/api/v2/organizations', { auth: DEV_USER })).body.organizations).toEqual([]);
});
