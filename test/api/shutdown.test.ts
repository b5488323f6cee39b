import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** The spawned server's SIGTERM with a keep-alive client: test/cli/cli.test.ts. */
describe('a draining server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers requests on open connections with 503 and Connection: close', async () => {
    expect((await server.request('GET', '/health', { auth: null })).status).toBe(200);
    const ready = await server.request('GET', '/health/ready', { auth: null });
    expect([ready.status, ready.body]).toEqual([200, { status: 'READY', database: server.ctx.store.dialect }]);
    server.app.drain();
    // The load balancer's readiness check says so first, in its own words, so it stops sending here.
    const draining = await server.request('GET', '/health/ready', { auth: null });
    expect([draining.status, draining.body]).toEqual([503, { status: 'NOT_READY', database: server.ctx.store.dialect, reason: 'shutting down: finishing in-flight requests' }]);
    expect(draining.headers.get('connection')).toBe('close');
    const refused = await server.request('GET', '/api/v2/organizations');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.text).toMatch(/shutting down/);
  });

  it('has a grace period shorter than the shutdown timeout', () => {
    const config = loadConfig({ file: false, env: { TOLLGATE_SHUTDOWN_GRACE_SECONDS: '5' } });
    expect([config.shutdownGraceSeconds, config.shutdownTimeoutSeconds]).toEqual([5, 30]);
    expect(loadConfig({ file: false, env: {} }).shutdownGraceSeconds).toBe(20);
    expect(() => loadConfig({ file: false, env: { TOLLGATE_SHUTDOWN_GRACE_SECONDS: '30' } })).toThrow(
      /shutdownGraceSeconds: must be less than shutdownTimeoutSeconds \(30\)/,
    );
  });
});
