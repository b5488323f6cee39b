import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { bootstrap } from '../../../src/services/access/bootstrap.js';
import { DEFAULT_HASH_COST, hashSecret, verifySecret } from '../../../src/services/access/passwords.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';

/** The scrypt parameters a stored hash names: `scrypt$N$r$p$salt$hash`. */
function parameters(hash: string | null | undefined): string {
  return (hash ?? '').split('$').slice(0, 4).join('$');
}

describe('password hashing cost (passwordHashCost)', () => {
  it('is N = 2^15, r = 8, p = 1 by default; the hash names its parameters and verifies only its secret', async () => {
    expect(DEFAULT_HASH_COST).toBe(15);
    expect(loadConfig({ file: false, env: {} }).passwordHashCost).toBe(15);
    const hash = await hashSecret('correct horse');
    expect(parameters(hash)).toBe('scrypt$32768$8$1');
    expect(await verifySecret('correct horse', hash)).toBe(true);
    expect(await verifySecret('correct hors', hash)).toBe(false);
  });

  it('a configured cost makes new hashes at that cost; they verify whatever the cost is now', async () => {
    const cheap = await hashSecret('correct horse', 10);
    expect(parameters(cheap)).toBe('scrypt$1024$8$1');
    expect(await verifySecret('correct horse', cheap)).toBe(true);
    expect(await verifySecret('wrong horse', cheap)).toBe(false);
    expect(loadConfig({ file: false, env: { TOLLGATE_PASSWORD_HASH_COST: '12' } }).passwordHashCost).toBe(12);
    for (const cost of ['9', '18', 'fifteen']) {
      expect(() => loadConfig({ file: false, env: { TOLLGATE_PASSWORD_HASH_COST: cost } })).toThrow(/passwordHashCost/);
    }
  });
});

describe('a server and its password hashes', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  /** The warnings bootstrap logs on this server's database (it runs at every start). */
  async function startupWarnings(server: TestServer): Promise<string[]> {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split('\n'));
        done();
      },
    });
    await bootstrap({ ...server.ctx, log: pino({ level: 'warn' }, stream) });
    return lines.map((l) => JSON.parse(l).msg as string);
  }

  async function storedHash(server: TestServer, username: string): Promise<string | null | undefined> {
    return (await server.ctx.store.db.selectFrom('users').select('password_hash').where('username', '=', username).executeTakeFirst())?.password_hash;
  }

  it('at the default cost: admin and new users are hashed with N = 2^15, and start-up says nothing about it', async () => {
    const server = await startTestServer({ passwordHashCost: DEFAULT_HASH_COST });
    servers.push(server);
    expect(parameters(await storedHash(server, 'admin'))).toBe('scrypt$32768$8$1');
    const created = await server.request('POST', '/api/v2/users', {
      body: { username: 'dora', password: 'dora-password-1', firstName: 'Dora', lastName: 'D', email: 'dora@example.com' },
    });
    expect(created.status, created.text).toBe(204);
    expect(parameters(await storedHash(server, 'dora'))).toBe('scrypt$32768$8$1');
    expect((await server.request('GET', '/api/v2/organizations', { auth: ['dora', 'dora-password-1'] })).status).toBe(200);
    expect((await startupWarnings(server)).filter((m) => m.includes('passwordHashCost'))).toEqual([]);
  });

  it('below the default: passwords, changed passwords and tokens are hashed cheaper; every start warns that it is a setting for tests', async () => {
    const server = await startTestServer({ passwordHashCost: 10 });
    servers.push(server);
    expect(parameters(await storedHash(server, 'admin'))).toBe('scrypt$1024$8$1');
    expect((await server.request('GET', '/api/v2/organizations', { auth: ['admin', 'admin123'] })).status).toBe(200);
    const user = { username: 'emil', password: 'emil-password-1', firstName: 'Emil', lastName: 'E', email: 'emil@example.com' };
    expect((await server.request('POST', '/api/v2/users', { body: user })).status).toBe(204);
    expect(parameters(await storedHash(server, 'emil'))).toBe('scrypt$1024$8$1');
    const changed = await server.request('PUT', '/api/v2/users/emil', { body: { ...user, password: 'emil-password-2' } });
    expect(changed.status, changed.text).toBe(200);
    expect(parameters(await storedHash(server, 'emil'))).toBe('scrypt$1024$8$1');
    const token = await server.request('POST', '/api/v2/userTokens/currentUser', { auth: ['emil', 'emil-password-2'] });
    expect(token.status, token.text).toBe(200);
    const row = await server.ctx.store.db.selectFrom('user_tokens').select('pass_code_hash').where('user_code', '=', token.body.userCode).executeTakeFirst();
    expect(parameters(row?.pass_code_hash)).toBe('scrypt$1024$8$1');
    expect((await server.request('GET', '/api/v2/organizations', { auth: [token.body.userCode, token.body.passCode] })).status).toBe(200);
    expect(await startupWarnings(server)).toContain(
      'passwordHashCost is 10, below the default 15: new password and token hashes are 32 times cheaper to guess (a setting for tests)',
    );
  });
});
