import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { THROTTLE_AUDIT_ACTION } from '../../src/http/login-throttle.js';
import { secretVerifications } from '../../src/services/access/passwords.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { TEST_PASSWORD, userWithRole } from '../helpers/users.js';

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

  it('are throttled per client address across names', async () => {
    for (const name of ['a', 'b', 'c']) expect((await byAddress.request('GET', '/api/v2/organizations', { auth: [name, 'x'] })).status).toBe(401);
    const refused = await byAddress.request('GET', '/api/v2/organizations');
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/from this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Requests without credentials are no sign-in: they are answered as before.
    expect((await byAddress.request('GET', '/api/v2/auditLogs', { auth: null })).status).toBe(401);
  });

  it('are throttled by default, from the environment', () => {
    expect(loadConfig({ file: false, env: {} }).loginThrottle).toEqual({ enabled: true, maxFailuresPerUser: 10, maxFailuresPerAddress: 100, windowSeconds: 900 });
    const env = { TOLLGATE_LOGIN_THROTTLE_ENABLED: 'false', TOLLGATE_LOGIN_THROTTLE_MAX_FAILURES_PER_USER: '5', TOLLGATE_LOGIN_THROTTLE_WINDOW_SECONDS: '60' };
    expect(loadConfig({ file: false, env }).loginThrottle).toMatchObject({ enabled: false, maxFailuresPerUser: 5, windowSeconds: 60 });
  });
});
