import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  // What TOLLGATE_ADMIN_PASSWORD sets: the admin password of a new installation.
  server = await startTestServer({ initialAdminPassword: 'chosen-at-install' });
});
afterAll(async () => {
  await server?.close();
});

it('gives admin the configured initial password instead of admin123', async () => {
  expect((await server.request('GET', '/api/v2/organizations', { auth: ['admin', 'admin123'] })).status).toBe(401);
  expect((await server.request('GET', '/api/v2/organizations', { auth: ['admin', 'chosen-at-install'] })).status).toBe(200);
});

it('creates the root organization, the built-in roles and admin as System Administrator', async () => {
  const auth: [string, string] = ['admin', 'chosen-at-install'];
  const roles = await server.request('GET', '/api/v2/roles', { auth });
  expect(roles.status).toBe(200);
  expect(roles.body.roles.map((r: { name: string }) => r.name)).toEqual(
    expect.arrayContaining(['System Administrator', 'Policy Administrator', 'Owner', 'Developer', 'Application Evaluator', 'Component Evaluator', 'Legal Reviewer']),
  );
  const root = await server.request('GET', '/api/v2/organizations/ROOT_ORGANIZATION_ID', { auth });
  expect(root.body.name).toBe('Root Organization');
  const global = await server.request('GET', '/api/v2/roleMemberships/global', { auth });
  expect(JSON.stringify(global.body)).toContain('"admin"');
});
