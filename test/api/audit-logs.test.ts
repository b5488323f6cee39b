import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/services/admin/audit.js';
import { userWithPermissions } from '../helpers/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
let configurer: [string, string];
let auditor: [string, string];
/** The server's clock, set by each step so that dates in the log are known. */
let clock = new Date('2026-03-10T10:00:00.000Z');

beforeAll(async () => {
  server = await startTestServer();
  server.ctx.now = () => clock;
  configurer = await userWithPermissions(server, 'configurer', ['CONFIGURE_SYSTEM']);
  auditor = await userWithPermissions(server, 'auditor', ['ACCESS_AUDIT_LOG']);

  clock = new Date('2026-03-10T10:00:00.000Z');
  expect((await server.request('POST', '/api/v2/organizations', { body: { name: 'Audited' } })).status).toBe(200);
  clock = new Date('2026-03-10T11:30:00.000Z');
  expect((await server.request('PUT', '/api/v2/config', { auth: configurer, body: { baseUrl: 'https://audit.example.com' } })).status).toBe(204);
  // Failures and reads are not changes: none is logged.
  expect((await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'nope' } })).status).toBe(400);
  expect((await server.request('GET', '/api/v2/config')).status).toBe(200);
  // Nor are reads sent as POST (the question is a body).
  expect((await server.request('POST', '/api/v2/vulnerabilities', { body: ['CVE-1999-0001'] })).status).toBe(200);
  clock = new Date('2026-03-11T09:00:00.000Z');
  expect((await server.request('POST', '/api/v2/organizations', { body: { name: 'Next day' } })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('audit logs', () => {
  it('records who changed what, when and from where, one line per change', async () => {
    const res = await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-10&endUtcDate=2026-03-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(lines(res.text)).toEqual([
      '2026-03-10T10:00:00.000Z user=admin from=127.0.0.1 action=organization.create target=/api/v2/organizations detail={"name":"Audited"}',
      '2026-03-10T11:30:00.000Z user=configurer from=127.0.0.1 action=config.update target=/api/v2/config detail={"baseUrl":"https://audit.example.com"}',
    ]);
    expect(res.text.endsWith('\n')).toBe(true);
  });

  it('returns the lines of the days asked for, oldest first', async () => {
    const both = lines((await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-10&endUtcDate=2026-03-11')).text);
    expect(both.map((l) => l.split(' ')[0])).toEqual(['2026-03-10T10:00:00.000Z', '2026-03-10T11:30:00.000Z', '2026-03-11T09:00:00.000Z']);
    expect(both[2]).toMatch(/action=organization\.create .*"name":"Next day"/);

    // Without dates: today (the server's clock says 2026-03-11).
    const today = lines((await server.request('GET', '/api/v2/auditLogs')).text);
    expect(today).toHaveLength(1);
    expect(today[0]).toMatch(/^2026-03-11T09:00:00\.000Z /);
    // Only a start: from then until today. Only an end: that day.
    expect(lines((await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-10')).text)).toHaveLength(3);
    expect(lines((await server.request('GET', '/api/v2/auditLogs?endUtcDate=2026-03-10')).text)).toHaveLength(2);
    expect((await server.request('GET', '/api/v2/auditLogs?startUtcDate=2025-01-01&endUtcDate=2025-01-31')).text).toBe('');
  });

  it('never shows a secret', async () => {
    // What a user-creating route's body looks like (the users API records its change the same way).
    await recordAudit(server.ctx.store.db, {
      time: '2026-03-11T09:30:00.000Z',
      username: 'admin',
      remoteAddress: '127.0.0.1',
      action: 'user.create',
      target: '/api/v2/users',
      detail: { username: 'bob', password: 'hunter2-hunter2', credentials: { passCode: 'pc-123456', apiKey: 'k-987654' } },
    });
    const text = (await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-10&endUtcDate=2026-03-11')).text;
    expect(text).toContain('action=user.create target=/api/v2/users detail={"username":"bob","password":"***","credentials":"***"}');
    for (const secret of ['hunter2-hunter2', 'pc-123456', 'k-987654', 'admin123', `${auditor[1]}`, `${configurer[1]}`]) {
      expect(text).not.toContain(secret);
    }
  });

  it('quotes an action or target with spaces so that every line stays unambiguous', async () => {
    await recordAudit(server.ctx.store.db, {
      time: '2026-03-11T09:45:00.000Z',
      username: 'admin',
      remoteAddress: null,
      action: 'POST /api/v2/things',
      target: null,
      detail: { note: 'two\nlines' },
    });
    const last = lines((await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-11')).text).at(-1);
    expect(last).toBe('2026-03-11T09:45:00.000Z user=admin from=- action="POST /api/v2/things" target=- detail={"note":"two\\nlines"}');
  });

  it('needs Access Audit Log', async () => {
    expect((await server.request('GET', '/api/v2/auditLogs', { auth: null })).status).toBe(401);
    const refused = await server.request('GET', '/api/v2/auditLogs', { auth: configurer });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toMatch(/organization\.create/);
    const allowed = await server.request('GET', '/api/v2/auditLogs?startUtcDate=2026-03-10', { auth: auditor });
    expect(allowed.status).toBe(200);
    expect(lines(allowed.text).length).toBeGreaterThanOrEqual(3);
  });

  it('rejects dates that are not yyyy-mm-dd days, or an end before the start', async () => {
    const cases: Array<[string, RegExp]> = [
      ['startUtcDate=2026-13-01', /startUtcDate must be a date in the format yyyy-mm-dd, got "2026-13-01"/],
      ['startUtcDate=2026-02-30', /startUtcDate must be a date/],
      ['endUtcDate=10%2F03%2F2026', /endUtcDate must be a date in the format yyyy-mm-dd, got "10\/03\/2026"/],
      ['startUtcDate=2026-03-10T00:00:00Z', /startUtcDate must be a date/],
      ['startUtcDate=2026-03-11&endUtcDate=2026-03-10', /endUtcDate \(2026-03-10\) must not be before startUtcDate \(2026-03-11\)/],
    ];
    for (const [query, message] of cases) {
      const res = await server.request('GET', `/api/v2/auditLogs?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text).toMatch(message);
    }
  });
});
