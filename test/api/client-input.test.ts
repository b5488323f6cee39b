import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * What real clients send where the reference's description says something narrower, over HTTP:
 * empty bodies under a content type, `//` in paths, booleans spelled `True`, null for optional
 * fields. (Object query parameters in bracket form are tested with each operation that takes one.)
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
});
afterAll(async () => {
  await server?.close();
});

const basic = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(server.url + path, { method, headers: { authorization: basic, ...headers }, body });

describe('bodies', () => {
  it('an empty body under Content-Type: application/json is no body (generated clients send it on POSTs that take none)', async () => {
    const token = await send('POST', '/api/v2/userTokens/currentUser', { 'content-type': 'application/json' }, '');
    expect(token.status, await token.clone().text()).toBe(200);
    const body = (await token.json()) as { userCode?: string };
    expectMatchesReference('POST', '/api/v2/userTokens/currentUser', 200, body);
    expect(body.userCode).toBeTruthy();
    // A route that needs a body still says so.
    const app = await send('POST', '/api/v2/applications', { 'content-type': 'application/json; charset=UTF-8' }, '');
    expect(app.status).toBe(400);
    expect(await app.text()).toMatch(/body/);
  });

  it('an empty form-urlencoded body (Java’s HttpURLConnection default) is no body; a form with content is a clear 415', async () => {
    const enabled = await send('POST', '/api/v2/config/features/swagger-ui', { 'content-type': 'application/x-www-form-urlencoded' }, '');
    expect(enabled.status, await enabled.clone().text()).toBeLessThan(300);
    const form = await send('POST', '/api/v2/applications', { 'content-type': 'application/x-www-form-urlencoded' }, 'publicId=x');
    expect(form.status).toBe(415);
    expect(await form.text()).toMatch(/send JSON/);
  });

  it('null stands for a field left out where the reference does not allow null (Go and Jackson write it so)', async () => {
    const created = await server.request('POST', '/api/v2/applications', {
      body: { publicId: 'nulls', name: 'Nulls', organizationId: 'ROOT_ORGANIZATION_ID', contactUserName: null, applicationTags: null },
    });
    expect(created.status, created.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/applications', 200, created.body);
    expect(created.body).toMatchObject({ publicId: 'nulls', applicationTags: [] });
    // Where null means something (a system property: remove it), it still does.
    expect((await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://tollgate.example.com' } })).status).toBe(204);
    expect((await server.request('PUT', '/api/v2/config', { body: { baseUrl: null } })).status).toBe(204);
    expect((await server.request('GET', '/api/v2/config?property=baseUrl')).body).toEqual({ baseUrl: null });
    // A required field sent as null is still missing.
    const noName = await server.request('POST', '/api/v2/organizations', { body: { name: null } });
    expect(noName.status).toBe(400);
  });
});

describe('paths and query strings', () => {
  it('a doubled slash (a base URL ending in / joined with /api/…) reaches the same route', async () => {
    const res = await send('GET', '//api/v2/applications?publicId=nulls');
    expect(res.status).toBe(200);
    const listed = (await res.json()) as { applications: Array<{ publicId: string }> };
    expect(listed.applications.map((a) => a.publicId)).toEqual(['nulls']);
    // However the path is spelled, an /api/ route asks for credentials.
    for (const path of ['//api/v2/applications', '/%61pi/v2/applications', '/./api/v2/applications']) {
      const anonymous = await fetch(server.url + path);
      expect(anonymous.status, path).toBe(401);
    }
  });

  it('booleans in the query string may be spelled True or TRUE (Python’s requests writes True)', async () => {
    const lower = await server.request('GET', '/api/v2/applications?publicId=nulls&includeCategories=true');
    for (const spelling of ['True', 'TRUE']) {
      const res = await server.request('GET', `/api/v2/applications?publicId=nulls&includeCategories=${spelling}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual(lower.body);
    }
    expect((await server.request('GET', '/api/v2/applications?includeCategories=yes')).status).toBe(400);
  });

  it('unknown query parameters are ignored (jake 1.x sends its User-Agent as one)', async () => {
    const res = await server.request('GET', '/api/v2/applications?publicId=nulls&User-Agent=jake');
    expect(res.status).toBe(200);
    expect(res.body.applications).toHaveLength(1);
  });
});
