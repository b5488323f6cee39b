import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Web UI sessions (Tollgate's own POST/GET/DELETE /api/v2/session): the cookies, the CSRF token
 * every change made with the session needs, sliding expiry, log-out, the sign-in throttle and the
 * audit log. Basic credentials keep working beside them (every other API test uses them).
 */
let server: TestServer;
beforeAll(async () => {
  // The proxy on loopback is believed, so X-Forwarded-Proto: https stands for TLS in front.
  server = await startTestServer({ sessions: { timeoutMinutes: 2 }, trustProxy: '127.0.0.1', loginThrottle: { maxFailuresPerUser: 3 } });
});
afterAll(async () => server?.close());

function cookies(reply: Reply): string[] {
  return reply.headers.getSetCookie();
}

async function logIn(username = 'admin', password = 'admin123', headers: Record<string, string> = {}) {
  const reply = await server.request('POST', '/api/v2/session', { auth: null, body: { username, password }, headers });
  const set = cookies(reply);
  const value = (name: string) => set.find((c) => c.startsWith(`${name}=`))?.split(';')[0].slice(name.length + 1);
  return { reply, set, session: value('CLMSESSIONID'), csrf: value('CLM-CSRF-TOKEN') };
}

const withSession = (s: { session?: string; csrf?: string }, csrfHeader?: string) => ({
  auth: null,
  headers: {
    cookie: `CLMSESSIONID=${s.session}; CLM-CSRF-TOKEN=${s.csrf}`,
    'x-requested-with': 'XMLHttpRequest',
    ...(csrfHeader === undefined ? {} : { 'x-csrf-token': csrfHeader }),
  },
});

describe('web UI sessions', () => {
  it('a wrong password is a 401 in words, sets no cookie and no Basic challenge for the web UI', async () => {
    const wrong = await server.request('POST', '/api/v2/session', { auth: null, body: { username: 'admin', password: 'nope' }, headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe('Invalid username or password.');
    expect(cookies(wrong)).toEqual([]);
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    const unknown = await server.request('POST', '/api/v2/session', { auth: null, body: { username: 'nobody', password: 'x' } });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe('Invalid username or password.');
    expect((await server.request('POST', '/api/v2/session', { auth: null, body: { username: 'admin' } })).status).toBe(400);
  });

  it('logging in sets an HttpOnly SameSite=Lax session cookie and the CLM-CSRF-TOKEN cookie, Secure only behind https', async () => {
    const { reply, set, session, csrf } = await logIn();
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ username: 'admin', authentication: 'session', csrfToken: csrf });
    expect(set.find((c) => c.startsWith('CLMSESSIONID='))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(set.find((c) => c.startsWith('CLM-CSRF-TOKEN='))).toMatch(/; Path=\/; SameSite=Lax$/);
    expect(session).toMatch(/^[\w-]{40,}$/);
    const tls = await logIn('admin', 'admin123', { 'x-forwarded-proto': 'https' });
    expect(tls.set.every((c) => c.endsWith('; Secure'))).toBe(true);
    // Only a digest of the session id is stored.
    const rows = await server.ctx.store.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(session);
  });

  it('the session authenticates reads; every change needs X-CSRF-TOKEN equal to the session’s token', async () => {
    const s = await logIn();
    const me = await server.request('GET', '/api/v2/session', withSession(s));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'admin', authentication: 'session', csrfToken: s.csrf });
    expect((await server.request('GET', '/api/v2/applications', withSession(s))).status).toBe(200);
    const body = { publicId: 'made-in-ui', name: 'Made in the UI', organizationId: 'ROOT_ORGANIZATION_ID' };
    const missing = await server.request('POST', '/api/v2/applications', { ...withSession(s), body });
    expect(missing.status).toBe(403);
    expect(missing.text).toMatch(/X-CSRF-TOKEN/);
    expect((await server.request('POST', '/api/v2/applications', { ...withSession(s, 'forged'), body })).status).toBe(403);
    // Another session's token is not this one's.
    const other = await logIn();
    expect((await server.request('POST', '/api/v2/applications', { ...withSession({ session: s.session, csrf: other.csrf }, other.csrf), body })).status).toBe(403);
    const made = await server.request('POST', '/api/v2/applications', { ...withSession(s, s.csrf), body });
    expect(made.status, made.text).toBe(200);
    // Basic credentials are unaffected: no CSRF token needed without a session.
    expect((await server.request('POST', '/api/v2/applications', { body: { ...body, publicId: 'made-by-ci', name: 'CI' } })).status).toBe(200);
  });

  it('expires after the timeout without requests, and each request moves the end on (sliding)', async () => {
    const s = await logIn();
    const realNow = server.ctx.now;
    const start = Date.now();
    try {
      server.ctx.now = () => new Date(start + 90_000);
      expect((await server.request('GET', '/api/v2/session', withSession(s))).status).toBe(200);
      // 3 minutes after sign-in, but 1.5 after the last request: still signed in.
      server.ctx.now = () => new Date(start + 180_000);
      expect((await server.request('GET', '/api/v2/session', withSession(s))).status).toBe(200);
      server.ctx.now = () => new Date(start + 180_000 + 121_000);
      const expired = await server.request('GET', '/api/v2/applications', withSession(s));
      expect(expired.status).toBe(401);
      expect(expired.text).toMatch(/session has expired/);
      expect(expired.headers.get('www-authenticate')).toBeNull();
    } finally {
      server.ctx.now = realNow;
    }
  });

  it('logging out needs the CSRF token, ends the session and clears the cookies; both are audited', async () => {
    const s = await logIn();
    expect((await server.request('DELETE', '/api/v2/session', withSession(s))).status).toBe(403);
    const out = await server.request('DELETE', '/api/v2/session', withSession(s, s.csrf));
    expect(out.status).toBe(204);
    expect(cookies(out).map((c) => c.split(';')[0])).toEqual(['CLMSESSIONID=', 'CLM-CSRF-TOKEN=']);
    expect(cookies(out).every((c) => c.includes('Max-Age=0'))).toBe(true);
    expect((await server.request('GET', '/api/v2/session', withSession(s))).status).toBe(401);
    const log = await server.request('GET', '/api/v2/auditLogs');
    expect(log.text).toMatch(/user=admin .*action=session\.login/);
    expect(log.text).toMatch(/user=admin .*action=session\.logout/);
    expect(log.text).not.toContain('admin123');
  });

  it('a new password ends the user’s sessions: whoever signed in with the old one is out', async () => {
    const user = { username: 'rotating', password: 'first-pass-1', firstName: 'Ro', lastName: 'Tating', email: 'ro@example.com' };
    expect((await server.request('POST', '/api/v2/users', { body: user })).status).toBe(204);
    const s = await logIn('rotating', 'first-pass-1');
    expect((await server.request('GET', '/api/v2/session', withSession(s))).status).toBe(200);
    const changed = await server.request('PUT', '/api/v2/users/rotating', { body: { ...user, password: 'second-pass-2' } });
    expect(changed.status, changed.text).toBe(200);
    expect((await server.request('GET', '/api/v2/session', withSession(s))).status).toBe(401);
    expect((await logIn('rotating', 'second-pass-2')).reply.status).toBe(200);
  });

  it('Basic callers see themselves too; signing in goes through the sign-in throttle', async () => {
    const me = await server.request('GET', '/api/v2/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'admin', authentication: 'password' });
    expect(me.body).not.toHaveProperty('csrfToken');
    for (let i = 0; i < 3; i++) await server.request('POST', '/api/v2/session', { auth: null, body: { username: 'throttled', password: 'x' } });
    const refused = await server.request('POST', '/api/v2/session', { auth: null, body: { username: 'throttled', password: 'x' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
