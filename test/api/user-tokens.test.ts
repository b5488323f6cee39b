import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
const ALICE: [string, string] = ['alice', 'alice-password'];
const BOB: [string, string] = ['bob', 'bob-password'];
const realNow = () => new Date();

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: ALICE[0], password: ALICE[1] });
  await createUser(server.ctx, { username: BOB[0], password: BOB[1] });
});
afterAll(async () => {
  await server?.close();
});

const hasToken = (auth: [string, string] | null) => server.request('GET', '/api/v2/userTokens/currentUser/hasToken', { auth });

describe('user tokens', () => {
  it('issues a token whose pass code is shown once and works as Basic credentials', async () => {
    const none = await hasToken(ALICE);
    expect(none.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/userTokens/currentUser/hasToken', 200, none.body);
    expect(none.body).toEqual({ userTokenExists: false });
    expect((await server.request('GET', '/api/v2/userTokens/currentUser/createTime', { auth: ALICE })).status).toBe(404);

    const created = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: ALICE });
    expect(created.status).toBe(200);
    expectMatchesReference('POST', '/api/v2/userTokens/currentUser', 200, created.body);
    expect(created.body).toMatchObject({ username: 'alice', realm: 'Internal' });
    expect(created.body.userCode).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(created.body.passCode.length).toBeGreaterThanOrEqual(32);
    expect(created.body.expirationDate).toBeUndefined();
    const token: [string, string] = [created.body.userCode, created.body.passCode];

    // The token authenticates as alice; a wrong pass code does not.
    expect((await hasToken(token)).body).toEqual({ userTokenExists: true });
    expect((await hasToken([token[0], `${token[1]}x`])).status).toBe(401);

    const createTime = await server.request('GET', '/api/v2/userTokens/currentUser/createTime', { auth: token });
    expect(createTime.status).toBe(200);
    expect(createTime.headers.get('content-type')).toMatch(/json/);
    expectMatchesReference('GET', '/api/v2/userTokens/currentUser/createTime', 200, createTime.body);
    expect(createTime.body).toBe(created.body.createTime);

    // Stored as a hash only; never shown again.
    const row = await server.ctx.store.db.selectFrom('user_tokens').selectAll().where('user_code', '=', token[0]).executeTakeFirstOrThrow();
    expect(row.pass_code_hash).toMatch(/^scrypt\$/);
    const byAdmin = await server.request('GET', '/api/v2/userTokens/alice');
    expect(byAdmin.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/userTokens/{username}', 200, byAdmin.body);
    expect(byAdmin.body).toEqual({
      userCode: token[0],
      username: 'alice',
      realm: 'Internal',
      createTime: created.body.createTime,
      // set when the token authenticated the requests above
      lastAccessTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(byAdmin.body.lastAccessTime >= created.body.createTime).toBe(true);
    expect(byAdmin.text).not.toContain(token[1]);
  });

  it('a new token replaces the old one, which stops working at once', async () => {
    const first = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: BOB });
    const old: [string, string] = [first.body.userCode, first.body.passCode];
    expect((await hasToken(old)).status).toBe(200); // now cached
    const second = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: BOB });
    expect(second.body.userCode).not.toBe(old[0]);
    expect((await hasToken(old)).status).toBe(401);
    expect((await hasToken([second.body.userCode, second.body.passCode])).status).toBe(200);
    expect(await server.ctx.store.db.selectFrom('user_tokens').select('user_code').where('username', '=', 'bob').execute()).toHaveLength(1);

    // Deleting one's own token.
    const deleted = await server.request('DELETE', '/api/v2/userTokens/currentUser', { auth: BOB });
    expect(deleted.status).toBe(204);
    expect((await hasToken([second.body.userCode, second.body.passCode])).status).toBe(401);
    expect((await hasToken(BOB)).body).toEqual({ userTokenExists: false });
    const again = await server.request('DELETE', '/api/v2/userTokens/currentUser', { auth: BOB });
    expect(again.status).toBe(404);
    expect(again.text).toMatch(/bob has no user token/);
  });

  it('lets an administrator list tokens by creation date and delete anyone’s', async () => {
    const carol = await createUser(server.ctx, { username: 'carol', password: 'carol-password' });
    server.ctx.now = () => new Date('2025-03-10T12:00:00Z');
    try {
      const made = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: [carol.username, 'carol-password'] });
      expect(made.body.createTime).toBe('2025-03-10T12:00:00.000Z');
    } finally {
      server.ctx.now = realNow;
    }
    const all = await server.request('GET', '/api/v2/userTokens');
    expect(all.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/userTokens', 200, all.body);
    expect(all.body.map((t: { username: string }) => t.username).sort()).toEqual(['alice', 'carol']);
    expect(all.text).not.toMatch(/passCode/);

    const inMarch = await server.request('GET', '/api/v2/userTokens?createdAfter=2025-03-10&createdBefore=2025-03-11');
    expect(inMarch.body.map((t: { username: string }) => t.username)).toEqual(['carol']);
    expect((await server.request('GET', '/api/v2/userTokens?createdAfter=2025-03-11')).body.map((t: { username: string }) => t.username)).toEqual(['alice']);
    expect((await server.request('GET', '/api/v2/userTokens?createdBefore=2025-03-10')).body).toEqual([]);
    expect((await server.request('GET', '/api/v2/userTokens?realm=SAML')).body).toEqual([]);

    for (const query of ['createdAfter=10/03/2025', 'createdBefore=2025-13-45', 'realm=Nowhere']) {
      const bad = await server.request('GET', `/api/v2/userTokens?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.text).toMatch(/yyyy-mm-dd|realm "Nowhere"/);
    }

    const carolsCode = inMarch.body[0].userCode;
    expect((await server.request('DELETE', `/api/v2/userTokens/userCode/${carolsCode}`)).status).toBe(204);
    const gone = await server.request('DELETE', `/api/v2/userTokens/userCode/${carolsCode}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toMatch(/No user token has user code/);
    expect((await server.request('GET', '/api/v2/userTokens/carol')).status).toBe(404);
    expect((await server.request('GET', '/api/v2/userTokens/nobody')).status).toBe(404);
    expect((await server.request('GET', '/api/v2/userTokens/alice?realm=SAML')).status).toBe(404);
  });

  it('purges the tokens of LDAP users only', async () => {
    const { db } = server.ctx.store;
    const now = new Date().toISOString();
    await db.insertInto('users').values({ username: 'ldap-user', first_name: null, last_name: null, email: null, password_hash: null, realm: 'LDAP', created_at: now, updated_at: now }).execute();
    await db.insertInto('user_tokens').values({ user_code: 'LDAPCODE', username: 'ldap-user', pass_code_hash: 'scrypt$x', created_at: now, expires_at: null }).execute();
    const res = await server.request('DELETE', '/api/v2/userTokens/purge');
    expect(res.status).toBe(204);
    expect(await db.selectFrom('user_tokens').select('user_code').where('username', '=', 'ldap-user').execute()).toEqual([]);
    expect((await server.request('GET', '/api/v2/userTokens/alice')).status).toBe(200);
  });

  it('needs CONFIGURE_SYSTEM for other users’ tokens, nothing for one’s own', async () => {
    const ops: Array<[string, string]> = [
      ['GET', '/api/v2/userTokens'],
      ['GET', '/api/v2/userTokens/alice'],
      ['DELETE', '/api/v2/userTokens/userCode/whatever'],
      ['DELETE', '/api/v2/userTokens/purge'],
      ['GET', '/api/v2/config/userTokens'],
      ['PUT', '/api/v2/config/userTokens'],
      ['DELETE', '/api/v2/config/userTokens?property=userTokenDefaultExpirationDays'],
    ];
    for (const [method, path] of ops) {
      const body = method === 'PUT' ? { userTokenDefaultExpirationDays: 1 } : undefined;
      expect((await server.request(method, path, { auth: null, body })).status, `${method} ${path}`).toBe(401);
      const res = await server.request(method, path, { auth: BOB, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toMatch(/CONFIGURE_SYSTEM/);
    }
    for (const [method, path] of [
      ['POST', '/api/v2/userTokens/currentUser'],
      ['DELETE', '/api/v2/userTokens/currentUser'],
      ['GET', '/api/v2/userTokens/currentUser/createTime'],
      ['GET', '/api/v2/userTokens/currentUser/hasToken'],
    ]) {
      expect((await server.request(method, path, { auth: null })).status, `${method} ${path}`).toBe(401);
    }
    // bob could not delete alice's token.
    expect((await server.request('GET', '/api/v2/userTokens/alice')).status).toBe(200);
  });
});

describe('user token configuration', () => {
  it('has no expiry by default, and validates changes', async () => {
    const res = await server.request('GET', '/api/v2/config/userTokens');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/config/userTokens', 200, res.body);
    expect(res.body).toEqual({});
    const cases: Array<[unknown, RegExp]> = [
      [{ userTokenDefaultExpirationDays: 0 }, /from 1 to 3650/],
      [{ userTokenDefaultExpirationDays: 99999 }, /from 1 to 3650/],
      [{ userTokenDefaultExpirationDays: 1.5 }, /userTokenDefaultExpirationDays/],
      [{ userTokenDefaultExpirationDays: '7' }, /userTokenDefaultExpirationDays/],
      [{ expiryDays: 7 }, /unknown user token configuration property expiryDays/],
    ];
    for (const [body, message] of cases) {
      const bad = await server.request('PUT', '/api/v2/config/userTokens', { body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.text).toMatch(message);
    }
    expect((await server.request('GET', '/api/v2/config/userTokens')).body).toEqual({});
    const noProperty = await server.request('DELETE', '/api/v2/config/userTokens');
    expect(noProperty.status).toBe(400);
    expect(noProperty.text).toMatch(/name the properties to reset/);
    const unknown = await server.request('DELETE', '/api/v2/config/userTokens?property=enabled');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/unknown .* enabled/);
  });

  it('expires new tokens after the configured days, by the application clock', async () => {
    const set = await server.request('PUT', '/api/v2/config/userTokens', { body: { userTokenDefaultExpirationDays: 30 } });
    expect(set.status).toBe(200);
    expectMatchesReference('PUT', '/api/v2/config/userTokens', 200, set.body);
    expect(set.body).toEqual({ userTokenDefaultExpirationDays: 30 });
    // null changes nothing
    expect((await server.request('PUT', '/api/v2/config/userTokens', { body: { userTokenDefaultExpirationDays: null } })).body).toEqual({ userTokenDefaultExpirationDays: 30 });

    const start = new Date('2026-01-01T00:00:00Z');
    server.ctx.now = () => start;
    try {
      const created = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: BOB });
      expect(created.status).toBe(200);
      expectMatchesReference('POST', '/api/v2/userTokens/currentUser', 200, created.body);
      expect(created.body.expirationDate).toBe('2026-01-31T00:00:00.000Z');
      const token: [string, string] = [created.body.userCode, created.body.passCode];
      expect((await hasToken(token)).status).toBe(200);

      server.ctx.now = () => new Date('2026-01-30T23:59:59Z');
      expect((await hasToken(token)).status).toBe(200);
      // One second past expiry it fails, even though it was just verified and cached.
      server.ctx.now = () => new Date('2026-01-31T00:00:01Z');
      expect((await hasToken(token)).status).toBe(401);
      // The password still works, and the expired token is still reported (with its expiry).
      const shown = await server.request('GET', '/api/v2/userTokens/bob');
      expect(shown.body.expirationDate).toBe('2026-01-31T00:00:00.000Z');
    } finally {
      server.ctx.now = realNow;
    }

    const reset = await server.request('DELETE', '/api/v2/config/userTokens?property=userTokenDefaultExpirationDays');
    expect(reset.status).toBe(200);
    expectMatchesReference('DELETE', '/api/v2/config/userTokens', 200, reset.body);
    expect(reset.body).toEqual({});
    const forever = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: BOB });
    expect(forever.body.expirationDate).toBeUndefined();
  });
});
