import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { createUser, setPassword } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
const PLAIN: [string, string] = ['plain', 'plain-password'];

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: PLAIN[0], password: PLAIN[1] });
});
afterAll(async () => {
  await server?.close();
});

const profile = (username: string) => ({ username, password: 'secret-pass-1', firstName: 'Ada', lastName: 'Lovelace', email: `${username}@example.com` });

async function userCount(): Promise<number> {
  return (await server.ctx.store.db.selectFrom('users').select('username').execute()).length;
}

describe('users', () => {
  it('lists users without passwords', async () => {
    const res = await server.request('GET', '/api/v2/users');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/users', 200, res.body);
    const admin = res.body.users.find((u: { username: string }) => u.username === 'admin');
    expect(admin).toMatchObject({ username: 'admin', realm: 'Internal', email: 'admin@localhost' });
    expect(res.text).not.toMatch(/password|scrypt/i);
    expect((await server.request('GET', '/api/v2/users?realm=SAML')).body.users).toEqual([]);
    const bad = await server.request('GET', '/api/v2/users?realm=LDAP2');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/realm "LDAP2" is not one of Internal, OAUTH2, SAML/);
  });

  it('creates, reads, updates and deletes a user', async () => {
    const created = await server.request('POST', '/api/v2/users', { body: profile('ada') });
    expect(created.status).toBe(204);
    expect(created.text).toBe('');

    const got = await server.request('GET', '/api/v2/users/ada');
    expect(got.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/users/{username}', 200, got.body);
    expect(got.body).toEqual({ username: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', realm: 'Internal' });
    expect((await server.request('GET', '/api/v2/users/ada?realm=SAML')).status).toBe(404);

    // The new user can authenticate with the password they were given.
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: ['ada', 'secret-pass-1'] })).status).toBe(200);

    const updated = await server.request('PUT', '/api/v2/users/ada', { body: { firstName: 'Augusta', email: 'augusta@example.com' } });
    expect(updated.status).toBe(200);
    expectMatchesReference('PUT', '/api/v2/users/{username}', 200, updated.body);
    expect(updated.body).toEqual({ username: 'ada', firstName: 'Augusta', lastName: 'Lovelace', email: 'augusta@example.com', realm: 'Internal' });

    const deleted = await server.request('DELETE', '/api/v2/users/ada');
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', '/api/v2/users/ada')).status).toBe(404);
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: ['ada', 'secret-pass-1'] })).status).toBe(401);
    expect((await server.request('DELETE', '/api/v2/users/ada')).status).toBe(404);
  });

  it('changes a password: the new one works at once and the old one gets 401', async () => {
    await server.request('POST', '/api/v2/users', { body: profile('grace') });
    const old: [string, string] = ['grace', 'secret-pass-1'];
    // Authenticate once so the old credentials sit in the verification cache.
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: old })).status).toBe(200);
    const res = await server.request('PUT', '/api/v2/users/grace', { body: { password: 'brand-new-pass' } });
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/password/);
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: old })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: ['grace', 'brand-new-pass'] })).status).toBe(200);
    const stored = await server.ctx.store.db.selectFrom('users').select('password_hash').where('username', '=', 'grace').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain('brand-new-pass');
    // The audit log keeps the change but never the password.
    const audit = await server.ctx.store.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'user.update').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((a) => a.detail).join()).not.toContain('brand-new-pass');
  });

  it('a password or token changed outside this server (only the database knows) stops working at once', async () => {
    // What `tollgate user passwd` in another process, or another server on the same database, does.
    await server.request('POST', '/api/v2/users', { body: profile('hedy') });
    const old: [string, string] = ['hedy', 'secret-pass-1'];
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: old })).status).toBe(200);
    await setPassword(server.ctx, 'hedy', 'changed-elsewhere');
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: old })).status).toBe(401);
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: ['hedy', 'changed-elsewhere'] })).status).toBe(200);

    const token = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: ['hedy', 'changed-elsewhere'] });
    const credentials: [string, string] = [token.body.userCode, token.body.passCode];
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: credentials })).status).toBe(200);
    await server.ctx.store.db.deleteFrom('user_tokens').where('user_code', '=', credentials[0]).execute();
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: credentials })).status).toBe(401);
  });

  it('deleting a user removes their tokens and role memberships', async () => {
    await server.request('POST', '/api/v2/users', { body: profile('linus') });
    const token = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: ['linus', 'secret-pass-1'] });
    expect(token.status).toBe(200);
    const grant = await server.request('PUT', `/api/v2/roleMemberships/organization/ROOT_ORGANIZATION_ID/role/${builtInRoleId('Developer')}/USER/linus`);
    expect(grant.status).toBe(204);
    expect((await server.request('DELETE', '/api/v2/users/linus')).status).toBe(204);
    const { db } = server.ctx.store;
    expect(await db.selectFrom('user_tokens').select('user_code').where('username', '=', 'linus').execute()).toEqual([]);
    expect(await db.selectFrom('role_memberships').select('role_id').where('member_name', '=', 'linus').execute()).toEqual([]);
    // The token stops working too.
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: [token.body.userCode, token.body.passCode] })).status).toBe(401);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = await userCount();
    const { password: _p, ...noPassword } = profile('x1');
    const { firstName: _f, ...noFirstName } = profile('x2');
    const { email: _e, ...noEmail } = profile('x3');
    const cases: Array<[unknown, RegExp]> = [
      [{ ...profile('x0'), username: undefined }, /username is required/],
      [noPassword, /password is required/],
      [{ ...profile('x4'), password: 'short' }, /at least 8 characters/],
      [noFirstName, /firstName is required/],
      [noEmail, /email is required/],
      [{ ...profile('x5'), email: 'not-an-address' }, /not an email address/],
      [{ ...profile('x6'), username: 'has space' }, /username may contain only/],
      [{ ...profile('x7'), realm: 'SAML' }, /only users of the Internal realm/],
      [{ ...profile('x8'), username: 42 }, /username/],
      [{ ...profile('x9'), lastName: 'l'.repeat(201) }, /at most 200/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('POST', '/api/v2/users', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    const malformed = await server.request('POST', '/api/v2/users', { raw: { contentType: 'application/json', data: '{"username":' } });
    expect(malformed.status).toBe(400);
    const dup = await server.request('POST', '/api/v2/users', { body: profile('admin') });
    expect(dup.status).toBe(409);
    expect(dup.text).toMatch(/User admin already exists/);
    expect(await userCount()).toBe(before);

    const updates: Array<[string, unknown, number, RegExp]> = [
      ['plain', { username: 'renamed' }, 400, /username cannot be changed/],
      ['plain', { realm: 'SAML' }, 400, /realm cannot be changed/],
      ['plain', { password: 'short' }, 400, /at least 8/],
      ['plain', { email: 'nope' }, 400, /not an email address/],
      ['nobody', { firstName: 'X' }, 404, /User nobody not found/],
    ];
    for (const [name, body, status, message] of updates) {
      const res = await server.request('PUT', `/api/v2/users/${name}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    // Nothing changed: plain still logs in with the old password and has no profile.
    expect((await server.request('GET', '/api/v2/users/plain')).body).toEqual({ username: 'plain', realm: 'Internal' });
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth: PLAIN })).status).toBe(200);
  });

  it('needs credentials (401) and CONFIGURE_SYSTEM (403) for every operation', async () => {
    const ops: Array<[string, string, unknown?]> = [
      ['GET', '/api/v2/users'],
      ['POST', '/api/v2/users', profile('intruder')],
      ['GET', '/api/v2/users/admin'],
      ['PUT', '/api/v2/users/admin', { firstName: 'Mallory' }],
      ['DELETE', '/api/v2/users/admin'],
    ];
    for (const [method, path, body] of ops) {
      expect((await server.request(method, path, { body, auth: null })).status, `${method} ${path}`).toBe(401);
      const res = await server.request(method, path, { body, auth: PLAIN });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toMatch(/CONFIGURE_SYSTEM/);
    }
    expect((await server.request('GET', '/api/v2/users/intruder')).status).toBe(404);
    expect((await server.request('GET', '/api/v2/users/admin')).body.firstName).toBe('Admin');
  });

  it('keeps the last System Administrator', async () => {
    const last = await server.request('DELETE', '/api/v2/users/admin');
    expect(last.status).toBe(409);
    expect(last.text).toMatch(/last user with the System Administrator role/);
    expect((await server.request('GET', '/api/v2/users/admin')).status).toBe(200);

    // With a second administrator, admin can go; then the second one is the last.
    await server.request('POST', '/api/v2/users', { body: profile('root2') });
    const root2: [string, string] = ['root2', 'secret-pass-1'];
    expect((await server.request('PUT', `/api/v2/roleMemberships/global/role/${builtInRoleId('System Administrator')}/USER/root2`)).status).toBe(204);
    expect((await server.request('DELETE', '/api/v2/users/admin', { auth: root2 })).status).toBe(204);
    expect((await server.request('GET', '/api/v2/users', { auth: ['admin', 'admin123'] })).status).toBe(401);
    const self = await server.request('DELETE', '/api/v2/users/root2', { auth: root2 });
    expect(self.status).toBe(409);
    expect((await server.request('GET', '/api/v2/users/root2', { auth: root2 })).status).toBe(200);
  });
});
