import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applicationParam, checkedInHandler, declarationError, organizationParam, requires, scopeFrom } from '../../src/http/permissions.js';
import { createUser } from '../../src/services/access/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** Every API route declares what it needs (config.permission), checked by one hook before the handler. */
let server: TestServer;
const OUTSIDER: [string, string] = ['outsider', 'outsider-password'];

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: OUTSIDER[0], password: OUTSIDER[1] });
});
afterAll(async () => {
  await server?.close();
});

it('every route under /api/ (and /rest/) declares its permission or is public', () => {
  const api = server.app.routeTable.filter((r) => /^\/(api|rest)\//.test(r.url));
  expect(api.length).toBeGreaterThan(100);
  expect(api.filter((r) => !r.permission).map((r) => `${r.method} ${r.url}`)).toEqual([]);
});

it('only routes whose scope is a stored record’s leave the check to their handler', () => {
  const inHandler = server.app.routeTable.filter((r) => r.permission.startsWith('checked in handler')).map((r) => `${r.method} ${r.url}`);
  expect(inHandler.sort()).toEqual([
    'GET /api/v2/jobs/:jobId',
    'GET /api/v2/policyViolations/crossStage',
    'GET /api/v2/policyViolations/crossStage/:violationId',
  ]);
});

it('the route table says what each route needs, as docs/api-compat.md lists it', () => {
  const permissionOf = (method: string, url: string) => server.app.routeTable.find((r) => r.method === method && r.url === url)?.permission;
  expect(permissionOf('GET', '/api/v2/applications/:applicationId')).toBe('READ on application {applicationId}');
  expect(permissionOf('POST', '/api/v2/applications/:applicationId/move/organization/:organizationId')).toBe(
    'WRITE on application {applicationId} and WRITE on organization {organizationId}',
  );
  expect(permissionOf('GET', '/api/v2/users')).toBe('CONFIGURE_SYSTEM');
  expect(permissionOf('PUT', '/api/v2/labels/:ownerType/:ownerId')).toBe('WRITE on owner {ownerType}/{ownerId}');
  expect(permissionOf('GET', '/api/v2/vulnerabilities/:refId')).toBe('READ on some organization or application');
  expect(permissionOf('GET', '/health')).toBe('none (public)');
});

it('an unknown id is a 404 before any 403, and no credentials a 401 before either', async () => {
  const { body: created } = await server.request('POST', '/api/v2/applications', {
    body: { publicId: 'route-permissions', name: 'Route permissions', organizationId: 'ROOT_ORGANIZATION_ID' },
  });
  expect((await server.request('GET', `/api/v2/applications/${created.id}`, { auth: null })).status).toBe(401);
  const forbidden = await server.request('GET', `/api/v2/applications/${created.id}`, { auth: OUTSIDER });
  expect(forbidden.status).toBe(403);
  expect(forbidden.text).toMatch(/Permission READ is required on application/);
  expect((await server.request('GET', '/api/v2/applications/no-such-application', { auth: OUTSIDER })).status).toBe(404);
  expect((await server.request('GET', '/api/v2/applications/route-permissions/reports/0123/raw', { auth: OUTSIDER })).status).toBe(403);
  expect((await server.request('GET', '/api/v2/applications/no-such-public-id/reports/0123/raw', { auth: OUTSIDER })).status).toBe(404);
  // A body that fails its schema is a 400 before the permission is looked at, as before.
  expect((await server.request('POST', '/api/v2/organizations', { auth: OUTSIDER, body: { name: 7 } })).status).toBe(400);
});

it('a route that declares nothing, or a permission on a parameter its path lacks, is refused when registered', () => {
  expect(declarationError('/api/v2/things', {})).toMatch(/declares no permission/);
  expect(declarationError('/api/v2/things', undefined)).toMatch(/declares no permission/);
  expect(declarationError('/api/v2/things', { public: true })).toBeUndefined();
  expect(declarationError('/ui/page', {})).toBeUndefined();
  expect(declarationError('/api/v2/things/:thingId', { permission: requires('READ', applicationParam('applicationId')) })).toMatch(
    /path parameters it does not have: applicationId/,
  );
  expect(declarationError('/api/v2/orgs/:organizationId', { permission: requires('READ', organizationParam('organizationId')) })).toBeUndefined();
  expect(declarationError('/api/v2/things', { permission: checkedInHandler('what the handler checks') })).toBeUndefined();
});

it('a scope source resolves once per request, and the handler reads what the hook resolved', async () => {
  let resolutions = 0;
  const source = scopeFrom('a counted organization', [], async () => {
    resolutions++;
    return { type: 'organization' as const, id: `org-${resolutions}` };
  });
  const request = { server: { ctx: {} } } as unknown as FastifyRequest;
  expect(await source.of(request)).toEqual({ type: 'organization', id: 'org-1' });
  expect(await source.of(request)).toEqual({ type: 'organization', id: 'org-1' });
  expect(resolutions).toBe(1);
  const another = { server: { ctx: {} } } as unknown as FastifyRequest;
  expect(await source.of(another)).toEqual({ type: 'organization', id: 'org-2' });
});
