import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { trustProxyOption } from '../../src/http/app.js';
import { LoginThrottle, THROTTLE_AUDIT_ACTION } from '../../src/http/login-throttle.js';
import { secretVerifications } from '../../src/services/access/passwords.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { TEST_PASSWORD, userWithRole } from '../helpers/users.js';
import { contextWith, secondStore } from '../jobs/helpers.js';

/** scrypt derivations the server made while `send` ran (the test server runs in this process). */
async function verificationsDuring(send: () => Promise<unknown>): Promise<number> {
  const before = secretVerifications();
  await send();
  return secretVerifications() - before;
}

describe('sign-in failures', () => {
  let server: TestServer;
  let byAddress: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ loginThrottle: { maxFailuresPerUser: 3 } });
    byAddress = await startTestServer({ loginThrottle: { maxFailuresPerUser: 100, maxFailuresPerAddress: 3 } });
  });
  afterAll(async () => {
    await server?.close();
    await byAddress?.close();
  });

  it('cost one scrypt verification whether or not the name exists', async () => {
    const token = await server.request('POST', '/api/v2/userTokens/currentUser');
    expect(token.status).toBe(200);
    const attempts: Array<[string, string]> = [
      ['admin', 'wrong'], // a known user, a wrong password
      ['nobody-by-this-name', 'wrong'], // an unknown name
      [token.body.userCode, 'wrong'], // a token, a wrong pass code
    ];
    for (const auth of attempts) {
      expect(await verificationsDuring(async () => expect((await server.request('GET', '/api/v2/organizations', { auth })).status).toBe(401))).toBe(1);
    }
    // And the same message: nothing tells the two apart.
    const known = await server.request('GET', '/api/v2/organizations', { auth: ['admin', 'wrong again'] });
    const unknown = await server.request('GET', '/api/v2/organizations', { auth: ['nobody-else', 'wrong'] });
    expect(unknown.text).toBe(known.text);
  });

  it('are throttled per name after the limit, with Retry-After, audited; a success resets the count', async () => {
    const bob = await userWithRole(server, 'bob', 'Owner');
    const as = (password: string) => server.request('GET', '/api/v2/organizations', { auth: ['bob', password] });
    expect((await as('wrong-1')).status).toBe(401);
    expect((await as('wrong-2')).status).toBe(401);
    expect((await as(TEST_PASSWORD)).status).toBe(200); // resets bob's count
    for (let i = 0; i < 3; i++) expect((await as(`wrong-${i}`)).status).toBe(401);
    // The third failure reached the limit: now even the right password (cached as verified) is refused, unchecked.
    const refused = await verificationsDuring(async () => {
      const reply = await server.request('GET', '/api/v2/organizations/ROOT_ORGANIZATION_ID', { auth: bob });
      expect(reply.status).toBe(429);
      expect(reply.text).toMatch(/Too many failed sign-ins as bob: try again in \d+ seconds/);
      const retryAfter = Number(reply.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
    });
    expect(refused).toBe(0);
    // Others sign in as before.
    expect((await server.request('GET', '/api/v2/organizations')).status).toBe(200);
    // Names nobody has are throttled alike: refusals do not tell which names exist.
    for (let i = 0; i < 3; i++) expect((await server.request('GET', '/api/v2/organizations', { auth: ['ghost', 'x'] })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/organizations', { auth: ['ghost', 'x'] })).status).toBe(429);

    const log = (await server.request('GET', '/api/v2/auditLogs')).text.split('\n').filter((line) => line.includes(THROTTLE_AUDIT_ACTION));
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/user=bob from=127\.0\.0\.1 action=login\.throttled target="user bob" detail=.*"failures":3/);
    expect(log[1]).toMatch(/target="user ghost"/);
  });

  it('are counted in the database: failures another server on it saw count here; old counts are purged', async () => {
    // Another node on the same database: its own connection, its own throttle.
    const store = await secondStore(server);
    try {
      const other = new LoginThrottle(contextWith(server.ctx, { store }));
      const eve = await userWithRole(server, 'eve', 'Owner');
      for (let i = 0; i < 2; i++) await other.failed('eve', '192.0.2.1');
      expect((await server.request('GET', '/api/v2/organizations', { auth: ['eve', 'wrong'] })).status).toBe(401); // the third
      expect((await server.request('GET', '/api/v2/organizations', { auth: eve })).status).toBe(429);
      await expect(other.check('eve', '192.0.2.1')).rejects.toThrow(/Too many failed sign-ins as eve/);
      // Two windows later every count here has run out: the next failure purges them.
      const later = new Date(Date.now() + 2 * 900_000);
      await other.failed('someone', '192.0.2.2', later);
      const left = await server.ctx.store.db.selectFrom('login_failures').select(['kind', 'key']).execute();
      expect(left).toEqual(expect.arrayContaining([{ kind: 'user', key: 'someone' }]));
      expect(left.filter((r) => r.key === 'eve')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('are throttled per client address across names', async () => {
    for (const name of ['a', 'b', 'c']) expect((await byAddress.request('GET', '/api/v2/organizations', { auth: [name, 'x'] })).status).toBe(401);
    const refused = await byAddress.request('GET', '/api/v2/organizations');
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/from this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Requests without credentials are no sign-in: they are answered as before.
    expect((await byAddress.request('GET', '/api/v2/auditLogs', { auth: null })).status).toBe(401);
  });

  it('behind a trusted proxy, are counted per forwarded client address; an untrusted X-Forwarded-For is ignored', async () => {
    const proxied = await startTestServer({ trustProxy: '127.0.0.1', loginThrottle: { maxFailuresPerUser: 100, maxFailuresPerAddress: 2 } });
    try {
      const from = (address: string, name: string) =>
        proxied.request('GET', '/api/v2/organizations', { auth: [name, 'x'], headers: { 'x-forwarded-for': address } });
      expect((await from('203.0.113.7', 'a')).status).toBe(401);
      expect((await from('203.0.113.7', 'b')).status).toBe(401);
      expect((await from('203.0.113.7', 'c')).status).toBe(429);
      // Another client behind the same proxy is not refused for the first one's failures.
      expect((await from('198.51.100.4', 'c')).status).toBe(401);
      const log = (await proxied.request('GET', '/api/v2/auditLogs')).text.split('\n').filter((line) => line.includes(THROTTLE_AUDIT_ACTION));
      expect(log[0]).toMatch(/from=203\.0\.113\.7 /);
    } finally {
      await proxied.close();
    }
    // Without the setting the header is the client's word only: the connection's address counts.
    const untrusted = await startTestServer({ loginThrottle: { maxFailuresPerUser: 100, maxFailuresPerAddress: 2 } });
    try {
      const from = (address: string, name: string) =>
        untrusted.request('GET', '/api/v2/organizations', { auth: [name, 'x'], headers: { 'x-forwarded-for': address } });
      expect((await from('203.0.113.8', 'a')).status).toBe(401);
      expect((await from('203.0.113.9', 'b')).status).toBe(401);
      expect((await from('192.0.2.200', 'c')).status).toBe(429);
    } finally {
      await untrusted.close();
    }
  });

  it('take the proxy setting as Fastify does: off, any, hop count, addresses', () => {
    expect(trustProxyOption('')).toBe(false);
    expect(trustProxyOption('false')).toBe(false);
    expect(trustProxyOption('true')).toBe(true);
    expect(trustProxyOption(' 10.0.0.0/8,127.0.0.1 ')).toBe('10.0.0.0/8,127.0.0.1');
    const twoHops = trustProxyOption('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(loadConfig({ file: false, env: { TOLLGATE_TRUST_PROXY: '1' } }).trustProxy).toBe('1');
    expect(loadConfig({ file: false, env: {} }).trustProxy).toBe('');
  });

  it('are throttled by default, from the environment', () => {
    expect(loadConfig({ file: false, env: {} }).loginThrottle).toEqual({ enabled: true, maxFailuresPerUser: 10, maxFailuresPerAddress: 100, windowSeconds: 900 });
    const env = { TOLLGATE_LOGIN_THROTTLE_ENABLED: 'false', TOLLGATE_LOGIN_THROTTLE_MAX_FAILURES_PER_USER: '5', TOLLGATE_LOGIN_THROTTLE_WINDOW_SECONDS: '60' };
    expect(loadConfig({ file: false, env }).loginThrottle).toMatchObject({ enabled: false, maxFailuresPerUser: 5, windowSeconds: 60 });
  });
});
