import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSetting } from '../../src/services/admin/settings.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestSmtpServer, startSmtpServer } from '../helpers/smtp.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';

const URL_ = '/api/v2/config/mail';
const SECRET = 'smtp-secret-3141';

let server: TestServer;
let smtp: TestSmtpServer;
let plain: [string, string];
beforeAll(async () => {
  server = await startTestServer();
  smtp = await startSmtpServer({ user: 'mailer', password: SECRET });
  plain = await userWithRole(server, 'plain', null);
});
afterAll(async () => {
  await smtp?.close();
  await server?.close();
});

const config = () => ({
  hostname: '127.0.0.1',
  port: smtp.port,
  username: 'mailer',
  password: SECRET,
  passwordIsIncluded: true,
  sslEnabled: false,
  startTlsEnabled: false,
  systemEmail: 'tollgate@example.com',
});

describe('Config Mail', () => {
  it('has no configuration at first, and needs Edit System Configuration and Users', async () => {
    expect((await server.request('GET', URL_)).status).toBe(404);
    expect((await server.request('DELETE', URL_)).status).toBe(404);
    expect((await server.request('GET', URL_, { auth: null })).status).toBe(401);
    expect((await server.request('GET', URL_, { auth: plain })).status).toBe(403);
    expect((await server.request('PUT', URL_, { auth: plain, body: config() })).status).toBe(403);
    expect((await server.request('POST', `${URL_}/test/a@example.com`, { auth: plain, body: config() })).status).toBe(403);
    expect(smtp.received).toHaveLength(0);
  });

  it('refuses bad configurations with a clear message and stores nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...config(), hostname: undefined }, /hostname is required/],
      [{ ...config(), hostname: 'smtp://mail.example.com' }, /hostname must be a host name or IP address/],
      [{ ...config(), port: 0 }, /port must be a number from 1 to 65535/],
      [{ ...config(), port: 70000 }, /port must be a number from 1 to 65535/],
      [{ ...config(), systemEmail: 'not an address' }, /systemEmail must be an e-mail address/],
      [{ ...config(), systemEmail: undefined }, /systemEmail is required/],
      [{ ...config(), passwordIsIncluded: false }, /passwordIsIncluded is false/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', URL_, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', URL_)).status).toBe(404);
  });

  it('stores the configuration and never returns or logs the password', async () => {
    expect((await server.request('PUT', URL_, { body: config() })).status).toBe(204);
    const res = await server.request('GET', URL_);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', URL_, 200, res.body);
    expect(res.body).toEqual({
      hostname: '127.0.0.1',
      port: smtp.port,
      username: 'mailer',
      passwordIsIncluded: false,
      sslEnabled: false,
      startTlsEnabled: false,
      systemEmail: 'tollgate@example.com',
    });
    const audit = await server.request('GET', '/api/v2/auditLogs');
    expect(audit.text).toMatch(/config\.mail\.update/);
    expect(audit.text).not.toContain(SECRET);
  });

  it('keeps the stored password for the same server, and asks for it again when the server changes', async () => {
    // One value given: the rest, password included, stay.
    expect((await server.request('PUT', URL_, { body: { systemEmail: 'iq@example.com' } })).status).toBe(204);
    expect((await server.request('GET', URL_)).body).toMatchObject({ systemEmail: 'iq@example.com', hostname: '127.0.0.1' });
    expect(await getSetting(server.ctx.store.db, 'config.mail')).toMatchObject({ password: SECRET });

    const moved = await server.request('PUT', URL_, { body: { hostname: 'smtp.example.com' } });
    expect(moved.status).toBe(400);
    expect(moved.text).toMatch(/hostname or port changed: give the password again/);
    expect((await server.request('GET', URL_)).body.hostname).toBe('127.0.0.1');
  });

  it('sends a test message with the configuration given, through the real SMTP server', async () => {
    // No password in the body: the stored one serves, since the server is the same.
    const { password: _p, passwordIsIncluded: _i, ...withoutPassword } = config();
    const res = await server.request('POST', `${URL_}/test/alice@example.com`, { body: { ...withoutPassword, systemEmail: 'test-sender@example.com' } });
    expect(res.status, res.text).toBe(204);
    await smtp.waitFor(1);
    const [{ mail, envelopeTo, user }] = smtp.received;
    expect(envelopeTo).toEqual(['alice@example.com']);
    expect(user).toBe('mailer');
    expect(mail.from?.text).toBe('test-sender@example.com');
    expect(mail.subject).toBe('Tollgate: test message');
    expect(mail.text).toMatch(/test message from Tollgate/);
    // Testing stores nothing.
    expect((await server.request('GET', URL_)).body.systemEmail).toBe('iq@example.com');
  });

  it('answers a failed test with what went wrong', async () => {
    const closed = await startSmtpServer();
    const closedPort = closed.port;
    await closed.close();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ password: 'wrong', passwordIsIncluded: true }, /refused the credentials of mailer/],
      [{ port: closedPort, password: SECRET }, new RegExp(`Could not send mail through the SMTP server 127\\.0\\.0\\.1:${closedPort}: .*ECONNREFUSED`)],
      [{ sslEnabled: true }, /SSL\/TLS \(sslEnabled\) with the SMTP server .* failed: .*wrong version number/],
    ];
    for (const [changes, message] of cases) {
      const res = await server.request('POST', `${URL_}/test/bob@example.com`, { body: { ...config(), ...changes } });
      expect(res.status, JSON.stringify(changes)).toBe(400);
      expect(res.text).toMatch(message);
      expect(res.text).not.toContain(SECRET);
    }
    // STARTTLS asked for: a server that does not offer it, and one whose certificate is not trusted
    // (smtp-server's built-in one), are refused before anything is sent.
    const noStartTls = await startSmtpServer({ hideSTARTTLS: true, disabledCommands: ['STARTTLS'] });
    try {
      for (const [port, message] of [
        [noStartTls.port, /STARTTLS/],
        [smtp.port, /STARTTLS \(startTlsEnabled\) with the SMTP server .* failed: .*certificate.*trusted by the system's CAs/],
      ] as const) {
        const res = await server.request('POST', `${URL_}/test/bob@example.com`, { body: { ...config(), port, startTlsEnabled: true } });
        expect(res.status).toBe(400);
        expect(res.text).toMatch(message);
      }
      expect(noStartTls.received).toHaveLength(0);
    } finally {
      await noStartTls.close();
    }
    expect((await server.request('POST', `${URL_}/test/not-an-address`, { body: config() })).text).toMatch(/recipientEmail must be an e-mail address/);
    expect(smtp.received).toHaveLength(1);
  });

  it('removes the configuration', async () => {
    expect((await server.request('DELETE', URL_)).status).toBe(204);
    expect((await server.request('GET', URL_)).status).toBe(404);
    expect(await getSetting(server.ctx.store.db, 'config.mail')).toBeUndefined();
  });
});

describe('Config Jira', () => {
  const JIRA = '/api/v2/config/jira';
  const TOKEN = 'jira-api-token-1618';

  it('has no configuration at first, and needs Edit System Configuration and Users', async () => {
    expect((await server.request('GET', JIRA)).status).toBe(404);
    expect((await server.request('GET', JIRA, { auth: plain })).status).toBe(403);
    expect((await server.request('PUT', JIRA, { auth: plain, body: { url: 'https://jira.example.com' } })).status).toBe(403);
    expect((await server.request('DELETE', JIRA, { auth: plain })).status).toBe(403);
  });

  it('refuses bad configurations with a clear message', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ username: 'bot' }, /url is required/],
      [{ url: 'jira.example.com' }, /url must be an absolute http\(s\) URL/],
      [{ url: 'ftp://jira.example.com' }, /url must use http or https/],
      [{ url: 'https://bot:pw@jira.example.com' }, /url must not hold credentials/],
      [{ url: 'https://jira.example.com', customFields: { summary: 'x' } }, /customFields cannot set summary/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', JIRA, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', JIRA)).status).toBe(404);
  });

  it('stores the configuration, never returns the password, and asks for it again when the url changes', async () => {
    const body = { url: 'https://jira.example.com/', username: 'bot@example.com', password: TOKEN, customFields: { labels: { set: ['tollgate'] } } };
    expect((await server.request('PUT', JIRA, { body })).status).toBe(204);
    const res = await server.request('GET', JIRA);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', JIRA, 200, res.body);
    expect(res.body).toEqual({ url: 'https://jira.example.com', username: 'bot@example.com', customFields: { labels: { set: ['tollgate'] } } });
    expect((await server.request('GET', '/api/v2/auditLogs')).text).not.toContain(TOKEN);

    // Values left out stay, the password with them while the url is the same.
    expect((await server.request('PUT', JIRA, { body: { username: 'other-bot@example.com' } })).status).toBe(204);
    expect(await getSetting(server.ctx.store.db, 'config.jira')).toMatchObject({ username: 'other-bot@example.com', password: TOKEN });
    const moved = await server.request('PUT', JIRA, { body: { url: 'https://attacker.example.com' } });
    expect(moved.status).toBe(400);
    expect(moved.text).toMatch(/url changed: give the password again/);

    expect((await server.request('DELETE', JIRA)).status).toBe(204);
    expect((await server.request('GET', JIRA)).status).toBe(404);
  });
});
