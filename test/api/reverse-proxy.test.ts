import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { userWithRole } from '../helpers/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

const URL_ = '/api/v2/config/reverseProxyAuthentication';
/** What a browser behind the proxy sends with a data-changing request (the seed's curl example). */
const CSRF = { 'X-CSRF-TOKEN': 'api', cookie: 'CLM-CSRF-TOKEN=api' };

let server: TestServer;
let plain: [string, string];
beforeAll(async () => {
  server = await startTestServer();
  plain = await userWithRole(server, 'plain', null);
  await createUser(server.ctx, { username: 'alice', password: 'alice-password-1' });
});
afterAll(async () => {
  await server?.close();
});

const organizationNames = async () =>
  (await server.request('GET', '/api/v2/organizations')).body.organizations.map((o: { name: string }) => o.name) as string[];

describe('reverse proxy authentication', () => {
  it('has no configuration at first (404), so the header means nothing', async () => {
    const res = await server.request('GET', URL_);
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/No reverse proxy authentication configuration/);
    expect((await server.request('GET', '/api/v2/organizations', { auth: null, headers: { REMOTE_USER: 'admin' } })).status).toBe(401);
  });

  it('rejects bad configurations with a clear message and stores nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ usernameHeader: 'X-User' }, /enabled is required/],
      [{ enabled: 'yes' }, /enabled: must be boolean/],
      [{ enabled: true, usernameHeader: 'X User' }, /usernameHeader must be an HTTP header name/],
      [{ enabled: true, usernameHeader: 'Authorization' }, /cannot be Authorization/],
      [{ enabled: true, logoutUrl: 'javascript:alert(1)' }, /logoutUrl must be an http\(s\) URL/],
      [{ enabled: true, csrfProtectionDisabled: 'no' }, /csrfProtectionDisabled/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', URL_, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', URL_)).status).toBe(404);
  });

  it('needs Edit System Configuration and Users', async () => {
    expect((await server.request('GET', URL_, { auth: null })).status).toBe(401);
    expect((await server.request('GET', URL_, { auth: plain })).status).toBe(403);
    expect((await server.request('PUT', URL_, { auth: plain, body: { enabled: true } })).status).toBe(403);
    expect((await server.request('DELETE', URL_, { auth: plain })).status).toBe(403);
    expect((await server.request('GET', URL_)).status).toBe(404);
  });

  it('stores the configuration, defaulting the header to REMOTE_USER', async () => {
    expect((await server.request('PUT', URL_, { body: { enabled: false } })).status).toBe(204);
    const res = await server.request('GET', URL_);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', URL_, 200, res.body);
    expect(res.body).toEqual({ enabled: false, usernameHeader: 'REMOTE_USER', csrfProtectionDisabled: false });
    // Disabled: the header is not trusted.
    expect((await server.request('GET', '/api/v2/organizations', { auth: null, headers: { REMOTE_USER: 'admin' } })).status).toBe(401);
  });

  it('while enabled, authenticates a known user named by the header, without credentials', async () => {
    const put = await server.request('PUT', URL_, {
      body: { enabled: true, usernameHeader: 'X-Forwarded-User', logoutUrl: 'https://sso.example.com/logout' },
    });
    expect(put.status).toBe(204);
    const got = await server.request('GET', URL_);
    expectMatchesReference('GET', URL_, 200, got.body);
    expect(got.body).toEqual({
      enabled: true,
      usernameHeader: 'X-Forwarded-User',
      csrfProtectionDisabled: false,
      logoutUrl: 'https://sso.example.com/logout',
    });

    const asAdmin = await server.request('GET', '/api/v2/organizations', { auth: null, headers: { 'X-Forwarded-User': 'admin' } });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.organizations.length).toBeGreaterThan(0);
    // alice is authenticated but holds no role: she sees no organization, and may not configure.
    const asAlice = await server.request('GET', '/api/v2/organizations', { auth: null, headers: { 'X-Forwarded-User': 'alice' } });
    expect(asAlice.status).toBe(200);
    expect(asAlice.body.organizations).toEqual([]);
    expect((await server.request('GET', URL_, { auth: null, headers: { 'X-Forwarded-User': 'alice' } })).status).toBe(403);

    const stranger = await server.request('GET', '/api/v2/organizations', { auth: null, headers: { 'X-Forwarded-User': 'mallory' } });
    expect(stranger.status).toBe(401);
    expect(stranger.text).toMatch(/mallory .*not known/);
    expect((await server.request('GET', '/api/v2/organizations', { auth: null })).status).toBe(401);
    // Basic credentials still work beside the proxy.
    expect((await server.request('GET', '/api/v2/organizations')).status).toBe(200);
  });

  it('while enabled, refuses data-changing requests without matching CSRF header and cookie', async () => {
    const proxied = { 'X-Forwarded-User': 'admin' };
    const refused: Array<[Record<string, string>, [string, string] | null]> = [
      [proxied, null],
      [{ ...proxied, 'X-CSRF-TOKEN': 'api' }, null],
      [{ ...proxied, cookie: 'CLM-CSRF-TOKEN=api' }, null],
      [{ ...proxied, 'X-CSRF-TOKEN': 'api', cookie: 'CLM-CSRF-TOKEN=other' }, null],
      // A cookie that is not valid %-encoding is no token (it was a 500: URIError).
      [{ ...proxied, 'X-CSRF-TOKEN': '%E0%A4%A', cookie: 'CLM-CSRF-TOKEN=%E0%A4%A' }, null],
      [{ ...proxied, 'X-CSRF-TOKEN': '%', cookie: 'CLM-CSRF-TOKEN=%' }, null],
      [{}, ['admin', 'admin123']], // Basic credentials too: the browser may send them
    ];
    for (const [headers, auth] of refused) {
      const res = await server.request('POST', '/api/v2/organizations', { auth, headers, body: { name: 'Refused' } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toMatch(/CSRF protection: send an X-CSRF-TOKEN header equal to the CLM-CSRF-TOKEN cookie/);
    }
    expect(await organizationNames()).not.toContain('Refused');

    const accepted = await server.request('POST', '/api/v2/organizations', {
      auth: null,
      headers: { ...proxied, ...CSRF, cookie: 'session=x; CLM-CSRF-TOKEN=api' },
      body: { name: 'Through the proxy' },
    });
    expect(accepted.status).toBe(200);
    expect(await organizationNames()).toContain('Through the proxy');
    // Reading needs no token.
    expect((await server.request('GET', URL_, { auth: null, headers: proxied })).status).toBe(200);
  });

  it('csrfProtectionDisabled turns the CSRF check off', async () => {
    const put = await server.request('PUT', URL_, {
      headers: CSRF,
      body: { enabled: true, usernameHeader: 'X-Forwarded-User', csrfProtectionDisabled: true },
    });
    expect(put.status).toBe(204);
    const res = await server.request('POST', '/api/v2/organizations', { auth: null, headers: { 'X-Forwarded-User': 'admin' }, body: { name: 'No token needed' } });
    expect(res.status).toBe(200);
  });

  it('removing the configuration stops trusting the header', async () => {
    await server.request('PUT', URL_, { body: { enabled: true, usernameHeader: 'X-Forwarded-User' } }).then((r) => expect(r.status).toBe(204));
    const withoutToken = await server.request('DELETE', URL_);
    expect(withoutToken.status).toBe(403);
    const deleted = await server.request('DELETE', URL_, { headers: CSRF });
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', URL_)).status).toBe(404);
    expect((await server.request('GET', '/api/v2/organizations', { auth: null, headers: { 'X-Forwarded-User': 'admin' } })).status).toBe(401);
    expect((await server.request('POST', '/api/v2/organizations', { body: { name: 'After' } })).status).toBe(200);
  });
});
