import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSetting } from '../../src/services/admin/settings.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { userWithRole } from '../helpers/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
let plain: [string, string];
beforeAll(async () => {
  server = await startTestServer();
  plain = await userWithRole(server, 'plain', null);
});
afterAll(async () => {
  await server?.close();
});

/** A multipart/form-data body with one file field, encoded the way browsers and curl -F do. */
async function multipart(field: string, fileName: string, content: Buffer): Promise<{ contentType: string; data: Buffer }> {
  const form = new FormData();
  form.append(field, new Blob([content]), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { contentType: request.headers.get('content-type')!, data: Buffer.from(await request.arrayBuffer()) };
}

describe('Configuration: system properties', () => {
  it('starts with every property unset (null)', async () => {
    const res = await server.request('GET', '/api/v2/config?property=baseUrl&property=forceBaseUrl');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/config', 200, res.body);
    expect(res.body).toEqual({ baseUrl: null, forceBaseUrl: null });
  });

  it('sets, reads and removes baseUrl and forceBaseUrl', async () => {
    const put = await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://tollgate.example.com/', forceBaseUrl: true } });
    expect(put.status).toBe(204);
    expect(put.text).toBe('');

    const one = await server.request('GET', '/api/v2/config?property=baseUrl');
    expect(one.body).toEqual({ baseUrl: 'https://tollgate.example.com' }); // trailing slash dropped
    const all = await server.request('GET', '/api/v2/config');
    expectMatchesReference('GET', '/api/v2/config', 200, all.body);
    expect(all.body).toEqual({ baseUrl: 'https://tollgate.example.com', forceBaseUrl: true });

    // null removes a property through PUT too
    expect((await server.request('PUT', '/api/v2/config', { body: { forceBaseUrl: null } })).status).toBe(204);
    expect((await server.request('GET', '/api/v2/config?property=forceBaseUrl')).body).toEqual({ forceBaseUrl: null });

    expect((await server.request('PUT', '/api/v2/config', { body: { forceBaseUrl: true } })).status).toBe(204);
    const removed = await server.request('DELETE', '/api/v2/config?property=baseUrl');
    expect(removed.status).toBe(204);
    // Without a base URL there is nothing to force: forceBaseUrl goes with it.
    expect((await server.request('GET', '/api/v2/config')).body).toEqual({ baseUrl: null, forceBaseUrl: null });
    expect(await getSetting(server.ctx.store.db, 'config.system')).toBeUndefined();
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://kept.example.com' } });
    const cases: Array<[unknown, RegExp]> = [
      [{}, /at least one system property/],
      [{ BaseUrl: 'https://x.example.com' }, /Unknown system property "BaseUrl".*case-sensitive/],
      [{ baseUrl: 'not a url' }, /baseUrl must be an absolute http\(s\) URL/],
      [{ baseUrl: 'ftp://x.example.com' }, /http or https/],
      [{ baseUrl: 42 }, /baseUrl/],
      [{ forceBaseUrl: 'yes' }, /forceBaseUrl/],
      [{ baseUrl: null, forceBaseUrl: true }, /forceBaseUrl can only be true while baseUrl is set/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', '/api/v2/config', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', '/api/v2/config')).body).toEqual({ baseUrl: 'https://kept.example.com', forceBaseUrl: null });

    const unknown = await server.request('GET', '/api/v2/config?property=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/Unknown system property "nope": known properties are baseUrl, forceBaseUrl/);
    const noName = await server.request('DELETE', '/api/v2/config');
    expect(noName.status).toBe(400);
    expect(noName.text).toMatch(/Name the system properties to remove/);
    expect((await server.request('DELETE', '/api/v2/config?property=nope')).status).toBe(400);
    expect((await server.request('GET', '/api/v2/config?property=baseUrl')).body.baseUrl).toBe('https://kept.example.com');
  });

  it('needs Edit System Configuration and Users, except to read baseUrl', async () => {
    expect((await server.request('GET', '/api/v2/config', { auth: null })).status).toBe(401);
    expect((await server.request('PUT', '/api/v2/config', { auth: null, body: { forceBaseUrl: true } })).status).toBe(401);

    const readable = await server.request('GET', '/api/v2/config?property=baseUrl', { auth: plain });
    expect(readable.status).toBe(200);
    expect(readable.body).toHaveProperty('baseUrl');
    for (const path of ['/api/v2/config?property=forceBaseUrl', '/api/v2/config']) {
      const res = await server.request('GET', path, { auth: plain });
      expect(res.status, path).toBe(403);
    }
    const before = await server.request('GET', '/api/v2/config');
    expect((await server.request('PUT', '/api/v2/config', { auth: plain, body: { baseUrl: 'https://evil.example.com' } })).status).toBe(403);
    expect((await server.request('DELETE', '/api/v2/config?property=baseUrl', { auth: plain })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/config')).body).toEqual(before.body);
  });

  it('clears the integration version cache (there is none: nothing is invalidated)', async () => {
    const res = await server.request('DELETE', '/api/v2/config/integrationVersions/cache');
    expect(res.status).toBe(200);
    expectMatchesReference('DELETE', '/api/v2/config/integrationVersions/cache', 200, res.body);
    expect(res.body).toEqual({ entriesInvalidated: 0 });
    expect((await server.request('DELETE', '/api/v2/config/integrationVersions/cache', { auth: plain })).status).toBe(403);
  });
});

describe('Feature Configuration', () => {
  it('disables and enables a known feature, and lists the state', async () => {
    const list = await server.request('GET', '/api/v2/config/features');
    expect(list.status).toBe(200);
    expect(list.body.find((f: { name: string }) => f.name === 'swagger-ui')).toMatchObject({ enabled: true });

    expect((await server.request('GET', '/swagger-ui/', { auth: null })).status).toBe(200);
    const off = await server.request('DELETE', '/api/v2/config/features/swagger-ui');
    expect(off.status).toBe(204);
    expect((await server.request('DELETE', '/api/v2/config/features/swagger-ui')).status).toBe(204); // again: harmless
    const hidden = await server.request('GET', '/swagger-ui/', { auth: null });
    expect(hidden.status).toBe(404);
    expect(hidden.text).toMatch(/Swagger UI is disabled/);
    // The documents themselves stay available to tools.
    expect((await server.request('GET', '/api/v2/endpoints/public', { auth: null })).status).toBe(200);
    expect((await server.request('GET', '/api/v2/config/features')).body.find((f: { name: string }) => f.name === 'swagger-ui').enabled).toBe(false);

    expect((await server.request('POST', '/api/v2/config/features/swagger-ui')).status).toBe(204);
    expect((await server.request('GET', '/swagger-ui/', { auth: null })).status).toBe(200);
  });

  it('rejects an unknown feature name and needs the permission', async () => {
    const res = await server.request('POST', '/api/v2/config/features/teleportation');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Unknown feature "teleportation": known features are swagger-ui, experimental-api/);
    expect(await getSetting<Record<string, boolean>>(server.ctx.store.db, 'config.features').then((s) => s?.teleportation)).toBeUndefined();

    expect((await server.request('POST', '/api/v2/config/features/swagger-ui', { auth: null })).status).toBe(401);
    expect((await server.request('DELETE', '/api/v2/config/features/swagger-ui', { auth: plain })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/config/features', { auth: plain })).status).toBe(403);
    expect((await server.request('GET', '/swagger-ui/', { auth: null })).status).toBe(200);
  });
});

describe('Product License', () => {
  it('says Tollgate is open source and needs no license', async () => {
    const res = await server.request('GET', '/api/v2/product/license');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      product: 'Tollgate',
      license: 'Apache-2.0',
      openSource: true,
      message: expect.stringMatching(/open source .*without a product license/),
    });
  });

  it('keeps an uploaded license file (which grants nothing) until it is removed', async () => {
    const content = Buffer.from('-----BEGIN LICENSE-----\nnot really a license\n-----END LICENSE-----\n');
    const upload = await server.request('POST', '/api/v2/product/license', { raw: await multipart('file', 'iq.lic', content) });
    expect(upload.status).toBe(200);
    expectMatchesReference('POST', '/api/v2/product/license', 200, upload.body);
    expect(upload.body.installedLicenseFile).toMatchObject({ fileName: 'iq.lic', size: content.length, installedBy: 'admin' });
    expect(upload.body.installedLicenseFile.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(upload.body.message).toMatch(/grants nothing/);
    expect((await server.request('GET', '/api/v2/product/license')).body.installedLicenseFile.fileName).toBe('iq.lic');

    expect((await server.request('DELETE', '/api/v2/product/license')).status).toBe(204);
    expect((await server.request('GET', '/api/v2/product/license')).body.installedLicenseFile).toBeUndefined();
    expect((await server.request('DELETE', '/api/v2/product/license')).status).toBe(204);
  });

  it('refuses what is not a license file upload, clearly, and stores nothing', async () => {
    const cases: Array<[Parameters<TestServer['request']>[2], RegExp]> = [
      [{ body: { file: 'x' } }, /multipart\/form-data/],
      [{ raw: await multipart('license', 'iq.lic', Buffer.from('x')) }, /field "file"/],
      [{ raw: await multipart('file', 'empty.lic', Buffer.alloc(0)) }, /empty/],
      [{ raw: await multipart('file', 'big.lic', Buffer.alloc(1024 * 1024 + 1, 65)) }, /larger than/],
    ];
    for (const [options, message] of cases) {
      const res = await server.request('POST', '/api/v2/product/license', options);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', '/api/v2/product/license')).body.installedLicenseFile).toBeUndefined();
  });

  it('needs Edit System Configuration and Users', async () => {
    const raw = await multipart('file', 'iq.lic', Buffer.from('x'));
    expect((await server.request('POST', '/api/v2/product/license', { raw, auth: null })).status).toBe(401);
    expect((await server.request('POST', '/api/v2/product/license', { raw, auth: plain })).status).toBe(403);
    expect((await server.request('DELETE', '/api/v2/product/license', { auth: plain })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/product/license', { auth: plain })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/product/license')).body.installedLicenseFile).toBeUndefined();
  });
});

describe('Solutions', () => {
  it('lists Lifecycle only, with the base URL once it is set, to any authenticated user', async () => {
    await server.request('DELETE', '/api/v2/config?property=baseUrl');
    const none = await server.request('GET', '/api/v2/solutions/licensed', { auth: plain });
    expect(none.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/solutions/licensed', 200, none.body);
    expect(none.body).toEqual([]); // as in the reference: no base URL, no results …

    const relative = await server.request('GET', '/api/v2/solutions/licensed?allowRelativeUrls=true', { auth: plain });
    expectMatchesReference('GET', '/api/v2/solutions/licensed', 200, relative.body);
    expect(relative.body).toEqual([{ id: 'lifecycle', url: '/swagger-ui' }]); // … unless relative URLs will do

    await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://tollgate.example.com' } });
    const absolute = await server.request('GET', '/api/v2/solutions/licensed', { auth: plain });
    expectMatchesReference('GET', '/api/v2/solutions/licensed', 200, absolute.body);
    expect(absolute.body).toEqual([{ id: 'lifecycle', url: 'https://tollgate.example.com/swagger-ui' }]);
    expect(absolute.body.map((s: { id: string }) => s.id)).not.toContain('firewall');

    expect((await server.request('GET', '/api/v2/solutions/licensed', { auth: null })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/solutions/licensed?allowRelativeUrls=maybe')).status).toBe(400);
  });
});
