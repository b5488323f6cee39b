import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { RATE_LIMIT_MESSAGE } from '../../src/http/rate-limit.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** The seed's words, kept here so a change to the constant cannot pass unnoticed. */
const SEED_MESSAGE =
  'Rate limit exceeded. Please wait 5 minutes. If this is a recurring issue, reach out to your administrator or contact your Sonatype support representative.';

describe('rate limiting', () => {
  let limited: TestServer;
  let unlimited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ rateLimit: { enabled: true, max: 3, windowSeconds: 300 } });
    // A tiny maximum, but not enabled: off is the default.
    unlimited = await startTestServer({ rateLimit: { max: 1 } });
  });
  afterAll(async () => {
    await limited?.close();
    await unlimited?.close();
  });

  it('answers 429 with the reference message once a client passes the maximum', async () => {
    expect(RATE_LIMIT_MESSAGE).toBe(SEED_MESSAGE);
    for (let i = 0; i < 3; i++) expect((await limited.request('GET', '/api/v2/organizations')).status).toBe(200);
    const over = await limited.request('GET', '/api/v2/organizations');
    expect(over.status).toBe(429);
    expect(over.text).toBe(SEED_MESSAGE);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every request counts, whatever the path or credentials, except health checks.
    expect((await limited.request('GET', '/api/v2/product/version', { auth: null })).status).toBe(429);
    expect((await limited.request('GET', '/health', { auth: null })).status).toBe(200);
  });

  it('is off by default', async () => {
    expect(loadConfig({ file: false, env: {} }).rateLimit.enabled).toBe(false);
    for (let i = 0; i < 5; i++) expect((await unlimited.request('GET', '/api/v2/organizations')).status).toBe(200);
  });
});
