import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, ROOT, builtProduct } from '../../helpers/build.js';
import { type TestSmtpServer, startSmtpServer } from '../../helpers/smtp.js';

/**
 * Mail over TLS that succeeds: SMTPS (sslEnabled) and STARTTLS (startTlsEnabled) against real SMTP
 * servers holding a certificate made here for localhost. Tollgate checks certificates against the
 * system's CAs, which NODE_EXTRA_CA_CERTS extends only when a process starts: the built mailer runs
 * in a child process given this certificate, as an operator trusting an internal CA would run it.
 */
const run = promisify(execFile);
const MAILER = join(ROOT, 'dist', 'services', 'notifications', 'mailer.js');
let dir: string;
let smtps: TestSmtpServer;
let starttls: TestSmtpServer;

beforeAll(async () => {
  await builtProduct();
  dir = mkdtempSync(join(tmpdir(), 'tollgate-mail-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
  const tls = { key: await readFile(key), cert: await readFile(cert) };
  smtps = await startSmtpServer({ user: 'mailer', password: 'tls-secret', secure: true, ...tls });
  starttls = await startSmtpServer({ user: 'mailer', password: 'tls-secret', allowInsecureAuth: false, ...tls });
}, BUILD_TIMEOUT);

afterAll(async () => {
  await smtps?.close();
  await starttls?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Sends one message with the built mailer in a process that trusts the test certificate. */
async function send(port: number, flags: { sslEnabled: boolean; startTlsEnabled: boolean }, trust = true): Promise<string> {
  const settings = { hostname: 'localhost', port, username: 'mailer', password: 'tls-secret', systemEmail: 'tollgate@example.com', ...flags };
  const script = `import { sendMail } from ${JSON.stringify(MAILER)};
try { await sendMail(JSON.parse(process.argv[1]), { to: 'bob@example.com', subject: 'over TLS', text: 'hello' }); console.log('sent'); }
catch (err) { console.log(err.message); }`;
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: trust ? join(dir, 'cert.pem') : '' };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(settings)], { env });
  return stdout.trim();
}

describe('mail over TLS', () => {
  it('sends through SMTPS (sslEnabled) and STARTTLS (startTlsEnabled), authenticated, once the certificate is trusted', async () => {
    expect(await send(smtps.port, { sslEnabled: true, startTlsEnabled: false })).toBe('sent');
    await smtps.waitFor(1);
    expect(smtps.received[0]).toMatchObject({ user: 'mailer', secure: true, envelopeTo: ['bob@example.com'] });
    expect(await send(starttls.port, { sslEnabled: false, startTlsEnabled: true })).toBe('sent');
    await starttls.waitFor(1);
    expect(starttls.received[0]).toMatchObject({ user: 'mailer', secure: true, envelopeTo: ['bob@example.com'] });
    expect(starttls.received[0].mail.subject).toBe('over TLS');
  });

  it('refuses the same server when its certificate is not trusted, and sends nothing', async () => {
    expect(await send(smtps.port, { sslEnabled: true, startTlsEnabled: false }, false)).toMatch(/certificate.*trusted by the system's CAs/);
    expect(smtps.received).toHaveLength(1);
  });
});
