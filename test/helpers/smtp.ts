import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A real SMTP server on a loopback port (the npm smtp-server package) that keeps what it receives. */
export interface TestSmtpServer {
  port: number;
  /** Messages received, parsed, with the envelope's recipients. */
  received: Array<{ mail: ParsedMail; envelopeTo: string[]; user?: string; /** Whether the session was encrypted (SMTPS or STARTTLS). */ secure: boolean }>;
  /** Resolves once `count` messages have arrived in all (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(options: { user?: string; password?: string } & Partial<SMTPServerOptions> = {}): Promise<TestSmtpServer> {
  const { user, password, ...serverOptions } = options;
  const received: TestSmtpServer['received'] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: !user,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, envelopeTo: session.envelope.rcptTo.map((r) => r.address), user: session.user as string | undefined, secure: session.secure });
          for (const w of waiters.splice(0)) w();
          callback();
        })
        .catch(callback);
    },
    ...serverOptions,
  });
  // A client that gives up on the handshake (an untrusted certificate) is the case under test, not an error.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
