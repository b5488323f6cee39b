import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** `{major}.{release}.{patch}-{build}`, the reference product's version format. */
const PRODUCT_VERSION_FORMAT = /^\d+\.\d+\.\d+-\d+$/;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('product version', () => {
  it('is served without credentials in the reference format, with the API release', async () => {
    const res = await server.request('GET', '/api/v2/product/version', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.version).toMatch(PRODUCT_VERSION_FORMAT);
    expect(res.body.release).toBe(Number(res.body.version.split('.')[1]));
    expect(res.body.release).toBe(204); // the reference release Tollgate implements
    expect(res.body.tollgateVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is on every reply as X-Tollgate-Version, errors included', async () => {
    const version = (await server.request('GET', '/api/v2/product/version')).body.version;
    for (const [method, path, auth] of [
      ['GET', '/api/v2/organizations', undefined],
      ['GET', '/api/v2/organizations', null],
      ['GET', '/no/such/thing', null],
    ] as const) {
      const res = await server.request(method, path, { auth });
      expect(res.headers.get('x-tollgate-version'), path).toBe(version);
      expect(res.headers.get('x-tollgate-version')).toMatch(PRODUCT_VERSION_FORMAT);
    }
  });

  it('is on refusals made before routing too: NUL in the URL, bad JSON, a malformed URL, 413, 429, 503 while shutting down', async () => {
    const version = (await server.request('GET', '/api/v2/product/version')).body.version;
    const early = [
      await server.request('GET', '/api/v2/applications?publicId=%00', { auth: null }),
      await server.request('POST', '/api/v2/organizations', { raw: { contentType: 'application/json', data: '{"name":' } }),
      await server.request('GET', '/api/v2/organizations/%E0%A4%A'),
    ];
    expect(early.map((r) => r.status)).toEqual([400, 400, 400]);
    const small = await startTestServer({ bodyLimit: 1024, rateLimit: { enabled: true, max: 2, windowSeconds: 300 } });
    try {
      const tooLarge = await small.request('POST', '/api/v2/organizations', { body: { name: 'x'.repeat(2000) } });
      expect(tooLarge.status).toBe(413);
      await small.request('GET', '/api/v2/organizations');
      const limited = await small.request('GET', '/api/v2/organizations');
      expect(limited.status).toBe(429);
      small.app.drain();
      const draining = await small.request('GET', '/health', { auth: null });
      expect(draining.status).toBe(503);
      early.push(tooLarge, limited, draining);
    } finally {
      await small.close();
    }
    for (const res of early) expect(res.headers.get('x-tollgate-version'), `${res.status} ${res.text}`).toBe(version);
  });

  it('answers under the /platform prefix as cloud clients call it', async () => {
    const res = await server.request('GET', '/platform/api/v2/product/version', { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.version).toMatch(PRODUCT_VERSION_FORMAT);
    expect(res.headers.get('x-tollgate-version')).toBe(res.body.version);
    const organizations = await server.request('GET', '/platform/api/v2/organizations');
    expect(organizations.status).toBe(200);
    expect((await server.request('GET', '/platform/api/v2/organizations', { auth: null })).status).toBe(401);
  });
});
