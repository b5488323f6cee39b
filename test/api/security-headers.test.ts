import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, type TestServer, startTestServer } from '../helpers/server.js';

/** Report pages are checked where one is made: test/api/report-data.test.ts. */
describe('security headers', () => {
  let server: TestServer;
  let limited: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    limited = await startTestServer({ rateLimit: { enabled: true, max: 2, windowSeconds: 120 } });
  });
  afterAll(async () => {
    await server?.close();
    await limited?.close();
  });

  const notHtml = (reply: Reply) => {
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-frame-options')).toBeNull();
  };

  it('every answer says nosniff: API, errors, 404s, health', async () => {
    const ok = await server.request('GET', '/api/v2/organizations');
    expect(ok.status).toBe(200);
    notHtml(ok);
    const unauthenticated = await server.request('GET', '/api/v2/organizations', { auth: null });
    expect(unauthenticated.status).toBe(401);
    notHtml(unauthenticated);
    const invalid = await server.request('POST', '/api/v2/organizations', { body: { name: 5 } });
    expect(invalid.status).toBe(400);
    notHtml(invalid);
    const missing = await server.request('GET', '/no/such/page', { auth: null });
    expect(missing.status).toBe(404);
    notHtml(missing);
    notHtml(await server.request('GET', '/health', { auth: null }));
    // A body Fastify's parser refuses before any route runs.
    const broken = await server.request('POST', '/api/v2/organizations', { raw: { contentType: 'application/json', data: '{' } });
    expect(broken.status).toBe(400);
    notHtml(broken);
  });

  it('HTML pages (the Swagger UI and its files) may not be framed', async () => {
    expect((await server.request('POST', '/api/v2/config/features/swagger-ui')).status).toBe(204);
    const ui = await server.request('GET', '/swagger-ui/', { auth: null });
    const page = ui.status === 302 ? await server.request('GET', ui.headers.get('location')!, { auth: null }) : ui;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await server.request('GET', '/swagger-ui/static/swagger-ui-bundle.js', { auth: null });
    expect(script.status).toBe(200);
    notHtml(script);
  });

  it('a 429 says when to come back, and /health is never limited', async () => {
    for (let i = 0; i < 2; i++) expect((await limited.request('GET', '/api/v2/organizations')).status).toBe(200);
    const over = await limited.request('GET', '/api/v2/organizations');
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120).toBe(true);
    expect(over.headers.get('x-content-type-options')).toBe('nosniff');
    for (let i = 0; i < 5; i++) expect((await limited.request('GET', '/health', { auth: null })).status).toBe(200);
  });
});
