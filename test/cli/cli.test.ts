import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, MAIN, builtProduct } from '../helpers/build.js';

/**
 * The `tollgate` command as people run it: the built CLI (npm run build) in child processes, each
 * on its own temporary data directory (SQLite), never touching the repository's ./data.
 */
const scratch = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
const children: ChildProcess[] = [];
const agents: Agent[] = [];
/** Each CLI run pays a process start and scrypt: allow for a busy machine. */
const SLOW = { timeout: 90_000 };

// What `npm start` runs, built from the current sources (once per change of them: helpers/build.ts).
beforeAll(builtProduct, BUILD_TIMEOUT);

afterAll(() => {
  for (const agent of agents) agent.destroy();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function dataDir(name: string): string {
  return mkdtempSync(join(scratch, `${name}-`));
}

/** The environment of a person running tollgate with only a data directory configured. */
function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TOLLGATE_DATA_DIR: dir, TOLLGATE_LOG_LEVEL: 'info', ...extra };
  for (const name of ['DATABASE_URL', 'TOLLGATE_CONFIG', 'PORT', 'TOLLGATE_PORT', 'TOLLGATE_ADMIN_PASSWORD', 'TOLLGATE_TEST_LOG']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { dir: string; env?: Record<string, string>; input?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.dir, env: cliEnv(options.dir, options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** `tollgate serve` in a child process, with its log (pino JSON lines on standard output). */
class Serve {
  readonly child: ChildProcess;
  log = '';
  readonly exited: Promise<number | null>;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly port: number,
    dir: string,
  ) {
    this.child = spawn(process.execPath, [MAIN, 'serve', '--port', String(port)], {
      cwd: dir,
      env: cliEnv(dir, { TOLLGATE_HOST: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(this.child);
    const collect = (d: Buffer) => {
      this.log += d.toString();
      for (const wake of this.waiters) wake();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  static async start(dir: string): Promise<Serve> {
    const serve = new Serve(await freePort(), dir);
    await serve.waitFor(/Tollgate listening/);
    return serve;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once the log matches; fails if the process ends first. */
  waitFor(pattern: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.log)) resolve();
        else if (this.child.exitCode !== null) reject(new Error(`serve exited (${this.child.exitCode}) before logging ${pattern}:\n${this.log}`));
      };
      this.waiters.push(check);
      this.child.on('exit', check);
      check();
    });
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  fetchAs(path: string, user: string, password: string): Promise<Response> {
    return fetch(this.url + path, { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });
  }
}

describe('tollgate --help', SLOW, () => {
  it('documents every command', async () => {
    const commands: Array<[string[], RegExp[]]> = [
      [[], [/Usage: tollgate/, /serve/, /migrate/, /user/, /--config <file>/]],
      [['serve'], [/Usage: tollgate serve/, /--port <port>/]],
      [['migrate'], [/Usage: tollgate migrate/, /database schema/]],
      [['user'], [/Usage: tollgate user/, /create/, /passwd/]],
      [['user', 'create'], [/Usage: tollgate user create .*<username>/, /--password <password>/, /--email <email>/]],
      [['user', 'passwd'], [/Usage: tollgate user passwd .*<username>/, /--password <password>/]],
    ];
    const dir = dataDir('help');
    const results = await Promise.all(commands.map(([args]) => run([...args, '--help'], { dir })));
    results.forEach((result, i) => {
      const [args, expected] = commands[i];
      expect(result.code, args.join(' ')).toBe(0);
      for (const pattern of expected) expect(result.stdout, args.join(' ')).toMatch(pattern);
    });
    const unknown = await run(['frobnicate'], { dir });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('tollgate migrate', SLOW, () => {
  it('creates the database schema, and running it again changes nothing', async () => {
    const dir = dataDir('migrate');
    const first = await run(['migrate'], { dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/database is up to date \(sqlite\)/);
    const db = new SQLite(join(dir, 'tollgate.db'), { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all().map((r) => (r as { name: string }).name);
      expect(tables).toEqual(expect.arrayContaining(['organizations', 'users', 'settings', 'audit_log', 'kysely_migration']));
      const applied = db.prepare('select name from kysely_migration order by name').all().map((r) => (r as { name: string }).name);
      expect(applied[0]).toBe('20261123_0500_foundation');
    } finally {
      db.close();
    }
    const again = await run(['migrate'], { dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/applied \d+ database migration/);
  });

  it('refuses an invalid configuration, naming the setting', async () => {
    const result = await run(['migrate'], { dir: dataDir('invalid'), env: { TOLLGATE_PORT: 'eighty' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/port \(from environment variable TOLLGATE_PORT\): must be integer/);
  });
});

describe('tollgate user, then serve on the same database', SLOW, () => {
  const dir = dataDir('users');
  const secrets = { alice: 'alice-password-1', bob: 'bob-from-stdin-2', admin: 'Adm1n-changed-3' };

  it('creates users (password as an option or on standard input) and changes a password', async () => {
    const alice = await run(['user', 'create', 'alice', '--password', secrets.alice, '--email', 'alice@example.com'], { dir });
    expect(alice.code, alice.stderr).toBe(0);
    expect(alice.stdout).toMatch(/created user alice/);
    const bob = await run(['user', 'create', 'bob'], { dir, input: `${secrets.bob}\n` });
    expect(bob.code, bob.stderr).toBe(0);

    const duplicate = await run(['user', 'create', 'alice', '--password', 'another-password'], { dir });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/User alice already exists/);
    const short = await run(['user', 'create', 'carol', '--password', 'short'], { dir });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 8 characters/);
    const none = await run(['user', 'create', 'dave'], { dir, input: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no password given/);

    const passwd = await run(['user', 'passwd', 'admin', '--password', secrets.admin], { dir });
    expect(passwd.code, passwd.stderr).toBe(0);
    expect(passwd.stdout).toMatch(/password of admin changed/);
    const nobody = await run(['user', 'passwd', 'nobody', '--password', 'whatever-123'], { dir });
    expect(nobody.code).toBe(1);
  });

  it('the server accepts exactly the new credentials, and no log shows a password', async () => {
    const serve = await Serve.start(dir);
    try {
      expect((await serve.fetchAs('/api/v2/organizations', 'alice', secrets.alice)).status).toBe(200);
      expect((await serve.fetchAs('/api/v2/organizations', 'bob', secrets.bob)).status).toBe(200);
      const admin = await serve.fetchAs('/api/v2/organizations', 'admin', secrets.admin);
      expect(admin.status).toBe(200);
      expect(((await admin.json()) as { organizations: unknown[] }).organizations.length).toBeGreaterThan(0);
      expect((await serve.fetchAs('/api/v2/organizations', 'admin', 'admin123')).status).toBe(401);
      expect((await serve.fetchAs('/api/v2/organizations', 'carol', 'short')).status).toBe(401);

      // `tollgate user passwd` while the server runs (another process, the same database): the
      // server had alice's old password verified and cached a moment ago; it stops working at once.
      const changed = await run(['user', 'passwd', 'alice', '--password', 'alice-password-2'], { dir });
      expect(changed.code, changed.stderr).toBe(0);
      expect((await serve.fetchAs('/api/v2/organizations', 'alice', secrets.alice)).status).toBe(401);
      expect((await serve.fetchAs('/api/v2/organizations', 'alice', 'alice-password-2')).status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(serve.log).not.toMatch(/default password/);
    for (const secret of [...Object.values(secrets), 'admin123', 'alice-password-2']) expect(serve.log).not.toContain(secret);
  });
});

describe('tollgate serve: warnings and graceful shutdown', SLOW, () => {
  it('warns while admin has the default password, without printing it', async () => {
    const serve = await Serve.start(dataDir('warn'));
    expect(serve.log).toMatch(/user admin still has the default password/);
    expect(serve.log).not.toContain('admin123');
    expect(await serve.stop()).toBe(0);
  });

  it('on SIGTERM with keep-alive clients connected finishes the request in flight, closes the database and exits 0 at once', async () => {
    const dir = dataDir('shutdown');
    const serve = await Serve.start(dir);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    agents.push(agent);
    // One connection left open and idle, as keep-alive clients leave theirs: closed at once.
    const idle = await new Promise<string | undefined>((resolve, reject) => {
      httpRequest(`${serve.url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers.connection));
      })
        .on('error', reject)
        .end();
    });
    expect(idle).toBe('keep-alive');
    let signalled = 0;
    // A request on another keep-alive connection whose body is still arriving: in flight until the
    // client sends the rest. Its answer closes the connection (Connection: close).
    const reply = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = httpRequest(`${serve.url}/api/v2/organizations`, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Basic ${Buffer.from('admin:admin123').toString('base64')}`,
          'content-type': 'application/json',
          'x-request-id': 'in-flight-at-shutdown',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.write('{"name":"Created during');
      serve
        .waitFor(/"reqId":"in-flight-at-shutdown"[^\n]*incoming request/)
        .then(() => {
          signalled = Date.now();
          serve.child.kill('SIGTERM');
          return serve.waitFor(/SIGTERM: finishing in-flight requests/);
        })
        .then(() => req.end(' shutdown"}'), reject);
    });
    const { status, connection, body } = await reply;
    expect(status, body).toBe(200);
    expect(JSON.parse(body).name).toBe('Created during shutdown');
    expect(connection).toBe('close');
    expect(await serve.exited).toBe(0);
    // Not the 30 s of waiting for keep-alive clients to hang up (a behaviour check, not a speed target).
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(serve.log).toMatch(/"msg":"stopped"/);
    expect(serve.log).not.toMatch(/still busy/);
    // New connections are refused once it stopped.
    await expect(fetch(`${serve.url}/health`)).rejects.toThrow();

    const db = new SQLite(join(dir, 'tollgate.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('select name from organizations where name = ?').get('Created during shutdown')).toBeDefined();
      expect(db.prepare("select action from audit_log where action = 'organization.create'").all()).toHaveLength(1);
    } finally {
      db.close();
    }
  });

});
