import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { AppContext } from '../../src/core/context.js';
import { SCHEDULED_JOB } from '../../src/jobs/scheduler.js';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { EVALUATION_JOB } from '../../src/services/evaluation/evaluations.js';
import { dropSchema } from '../../src/store/db.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { BUILD_TIMEOUT, MAIN, ROOT, builtProduct } from '../helpers/build.js';
import { ADMIN, onPostgres, openTestContext } from '../helpers/server.js';
import { osvRecord } from '../intel/advisories/helpers.js';
import { makeZip } from '../intel/advisories/zip-writer.js';

/**
 * Three real servers (the built CLI's `serve`, as people run it) on one PostgreSQL schema, behind no
 * load balancer: each request goes to the node the test names. Whatever one node changes, the
 * others see at once; jobs and scheduled work run once across the three; a node killed mid-job hands
 * it over. SQLite is one process's database: nothing to test there.
 */
/** Every process started, so that afterAll ends them even when another failed to start. */
const started: ChildProcess[] = [];
const basic = ([user, password]: [string, string]) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

class Node {
  readonly child: ChildProcess;
  log = '';
  private constructor(
    readonly port: number,
    env: NodeJS.ProcessEnv,
    configFile: string,
  ) {
    this.child = spawn(process.execPath, [MAIN, '-c', configFile, 'serve', '--port', String(port)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(this.child);
    const collect = (d: Buffer) => {
      this.log += d.toString();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
  }

  static async start(env: NodeJS.ProcessEnv, configFile: string): Promise<Node> {
    const node = new Node(await freePort(), env, configFile);
    // Generous: three servers start at once on a machine the rest of the suite keeps busy.
    const until = Date.now() + 90_000;
    while (node.child.exitCode === null && !/Tollgate listening/.test(node.log) && Date.now() < until) await new Promise((done) => setTimeout(done, 50));
    if (!/Tollgate listening/.test(node.log)) throw new Error(`serve did not start (exit code ${node.child.exitCode}):\n${node.log}`);
    return node;
  }

  /** Messages logged (pino JSON lines). */
  messages(): string[] {
    return this.log.split('\n').flatMap((line) => {
      try {
        return [String(JSON.parse(line).msg)];
      } catch {
        return [];
      }
    });
  }

  async request(method: string, path: string, options: { auth?: [string, string] | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const auth = options.auth === undefined ? ADMIN : options.auth;
    if (auth) headers.authorization = basic(auth);
    let body: string | undefined;
    if (options.raw !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.raw;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, { method, headers, body });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: bodies are read freely here; the API tests check their shapes.
    const json: any = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : undefined;
    return { status: res.status, text, body: json };
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe.skipIf(!onPostgres)('several nodes on one PostgreSQL', () => {
  let ctx: AppContext;
  let schema: string;
  let dir: string;
  let feeds: Server;
  const nodes: Node[] = [];
  const served: string[] = [];
  /**
   * KEV downloads are held open until `releaseKev`, so that the scheduled exploitation sync is a
   * long job; afterwards they are answered 404 (the sync logs that and ends).
   */
  const heldKev: ServerResponse[] = [];
  let releaseKev = false;
  let appId: string;
  const CAROL: [string, string] = ['carol', 'carol-pass-1'];

  beforeAll(async () => {
    await builtProduct();
    dir = mkdtempSync(join(tmpdir(), 'tollgate-cluster-'));
    // The schema, migrated and with its admin, made as every test server's is.
    const config = loadConfig({ file: false, env: {}, overrides: { dataDir: dir, databaseUrl: process.env.DATABASE_URL, logLevel: 'silent', passwordHashCost: 10 } });
    const opened = await openTestContext(config);
    ctx = opened.ctx;
    schema = opened.schema!;

    const zip = makeZip([{ name: 'PYSEC-2099-1.json', data: JSON.stringify(osvRecord('PYSEC-2099-1')) }]);
    feeds = createServer((req: IncomingMessage, res: ServerResponse) => {
      served.push(req.url ?? '');
      if (req.url === '/osv/PyPI/all.zip') res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
      else if (req.url === '/kev.json' && !releaseKev) heldKev.push(res);
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((done) => feeds.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;

    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        host: '127.0.0.1',
        passwordHashCost: 10,
        logLevel: 'info',
        registries: { offline: true },
        loginThrottle: { maxFailuresPerUser: 3 },
        // A short lease, so that a killed node's job is taken over soon; attempts to spare, since on a
        // machine this busy a node may miss a renewal and lose a held job before it is killed.
        jobs: { leaseSeconds: 8, pollIntervalMs: 100, maxAttempts: 10 },
        shutdownGraceSeconds: 1,
        schedules: { tickSeconds: 0.5, firstRunDelaySeconds: 1 },
        vulndb: { mirrorUrl: `${base}/osv`, ecosystems: ['PyPI'], syncIntervalHours: 24 },
        exploitation: { kevUrl: `${base}/kev.json`, epssUrl: `${base}/epss.csv.gz`, syncIntervalHours: 24 },
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `${process.env.DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
    for (const name of ['TOLLGATE_CONFIG', 'PORT', 'TOLLGATE_PORT', 'TOLLGATE_LOG_LEVEL', 'TOLLGATE_TEST_LOG']) delete env[name];
    nodes.push(...(await Promise.all([0, 1, 2].map(() => Node.start(env, configFile)))));

    const created = await nodes[0].request('POST', '/api/v2/applications', { body: { publicId: 'shared-app', name: 'shared-app', organizationId: 'ROOT_ORGANIZATION_ID' } });
    expect(created.status).toBe(200);
    appId = created.body.id;
    const user = await nodes[0].request('POST', '/api/v2/users', {
      body: { username: CAROL[0], password: CAROL[1], firstName: 'Carol', lastName: 'C', email: 'carol@example.com' },
    });
    expect(user.status, user.text).toBe(204);
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    for (const res of heldKev) res.destroy();
    const running = started.filter((child) => child.exitCode === null && child.signalCode === null);
    const exited = Promise.all(running.map((child) => new Promise((done) => child.once('exit', done))));
    for (const child of running) child.kill('SIGKILL');
    await exited;
    await new Promise<void>((done) => (feeds ? feeds.close(() => done()) : done()));
    await ctx?.store.close();
    if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
    rmSync(dir, { recursive: true, force: true });
  });

  const hasToken = '/api/v2/userTokens/currentUser/hasToken';

  // First, while the nodes are otherwise idle: a job is run again only when its lease runs out, which
  // a node too busy to renew it in time (this suite on two cores) would let happen.
  it('a scheduled sync runs once across the three nodes', async () => {
    const line = 'vulnerability data sync: 1 of 1 ecosystems imported, 1 advisories added, 0 updated';
    await expect.poll(() => nodes.flatMap((n) => n.messages()).filter((m) => m === line).length, { timeout: 15_000, interval: 100 }).toBe(1);
    // Every node has ticked since: still one run, one download.
    await new Promise((done) => setTimeout(done, 1200));
    expect(nodes.flatMap((n) => n.messages()).filter((m) => m.startsWith('vulnerability data sync:'))).toEqual([line]);
    expect(served.filter((u) => u.endsWith('all.zip'))).toEqual(['/osv/PyPI/all.zip']);
    const runs = await ctx.store.db.selectFrom('jobs').select(['payload', 'status']).where('type', '=', SCHEDULED_JOB).execute();
    expect(runs.filter((r) => r.payload.includes('vulndb.sync'))).toEqual([{ payload: '{"schedule":"vulndb.sync"}', status: 'succeeded' }]);
  });

  it('a password changed through one node is refused at once on another, and the new one works there', async () => {
    expect((await nodes[1].request('GET', hasToken, { auth: CAROL })).status).toBe(200); // now in node 2's credentials cache
    expect((await nodes[0].request('PUT', `/api/v2/users/${CAROL[0]}`, { body: { password: 'carol-pass-2' } })).status).toBe(200);
    expect((await nodes[1].request('GET', hasToken, { auth: CAROL })).status).toBe(401);
    CAROL[1] = 'carol-pass-2';
    expect((await nodes[1].request('GET', hasToken, { auth: CAROL })).status).toBe(200);
  });

  it('a user token deleted through one node stops working on another', async () => {
    const token = await nodes[2].request('POST', '/api/v2/userTokens/currentUser', { auth: CAROL });
    expect(token.status).toBe(200);
    const code: [string, string] = [token.body.userCode, token.body.passCode];
    expect((await nodes[2].request('GET', hasToken, { auth: code })).status).toBe(200);
    expect((await nodes[0].request('DELETE', '/api/v2/userTokens/currentUser', { auth: CAROL })).status).toBe(204);
    expect((await nodes[2].request('GET', hasToken, { auth: code })).status).toBe(401);
  });

  it('a role membership granted and removed through one node holds and ends at once on another', async () => {
    const membership = `/api/v2/roleMemberships/application/${appId}/role/${builtInRoleId('Developer')}/USER/${CAROL[0]}`;
    const read = () => nodes[1].request('GET', `/api/v2/applications/${appId}`, { auth: CAROL });
    expect((await read()).status).toBe(403);
    expect((await nodes[0].request('PUT', membership)).status).toBe(204);
    expect((await read()).status).toBe(200);
    expect((await nodes[0].request('DELETE', membership)).status).toBe(204);
    expect((await read()).status).toBe(403);
  });

  it('a setting changed on one node applies on the others (reverse proxy authentication)', async () => {
    const proxied = (node: Node) => node.request('GET', hasToken, { auth: null, headers: { 'x-forwarded-user': CAROL[0] } });
    expect((await proxied(nodes[1])).status).toBe(401);
    const setting = '/api/v2/config/reverseProxyAuthentication';
    expect((await nodes[0].request('PUT', setting, { body: { enabled: true, usernameHeader: 'X-Forwarded-User' } })).status).toBe(204);
    expect((await proxied(nodes[1])).status).toBe(200);
    expect((await proxied(nodes[2])).status).toBe(200);
    // Turned off on the third (a change while it is on needs the CSRF header and cookie).
    const csrf = { 'x-csrf-token': 'c', cookie: 'CLM-CSRF-TOKEN=c' };
    expect((await nodes[2].request('PUT', setting, { body: { enabled: false }, headers: csrf })).status).toBe(204);
    expect((await proxied(nodes[1])).status).toBe(401);
  });

  it('a policy deleted on one node is no longer applied by an evaluation submitted to another', async () => {
    const evaluate = async () => {
      const submitted = await nodes[1].request('POST', `/api/v2/evaluation/applications/${appId}`, { body: { components: [{ hash: 'cccccccccccccccccccc' }] } });
      expect(submitted.status, submitted.text).toBe(200);
      const result = () => nodes[1].request('GET', `/${submitted.body.resultsUrl}`);
      await expect.poll(async () => (await result()).status, { timeout: 15_000, interval: 100 }).toBe(200);
      return (await result()).body.results[0].policyData.policyViolations.map((v: { policyName: string }) => v.policyName) as string[];
    };
    expect(await evaluate()).toContain('Component-Unknown');
    const policies = await nodes[0].request('GET', '/api/v2/policies');
    const unknown = policies.body.policies.find((p: { name: string }) => p.name === 'Component-Unknown');
    expect((await nodes[0].request('DELETE', `/api/v2/policies/organization/ROOT_ORGANIZATION_ID/${unknown.id}`)).status).toBe(204);
    expect(await evaluate()).not.toContain('Component-Unknown');
  });

  it('scans submitted to each node finish once each', async () => {
    const before = await ctx.store.db.selectFrom('reports').select('id').where('application_id', '=', appId).execute();
    const sbom = cycloneDxJson([{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }]);
    const statuses = await Promise.all(
      nodes.map(async (node) => {
        const submitted = await node.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx`, { raw: sbom });
        expect(submitted.status, submitted.text).toBe(202);
        return { node, path: `/${submitted.body.statusUrl}` };
      }),
    );
    for (const { node, path } of statuses) {
      await expect.poll(async () => (await node.request('GET', path)).status, { timeout: 20_000, interval: 100 }).toBe(200);
    }
    const reports = await ctx.store.db.selectFrom('reports').select('id').where('application_id', '=', appId).execute();
    expect(reports.length - before.length).toBe(3);
    const runs = await ctx.store.db.selectFrom('jobs').select(['status', 'attempts']).where('type', '=', EVALUATION_JOB).execute();
    expect(runs.every((j) => j.status === 'succeeded' && j.attempts === 1)).toBe(true);
  });

  it('failed sign-ins are counted across nodes', async () => {
    for (const node of nodes) expect((await node.request('GET', hasToken, { auth: ['mallory', 'guess'] })).status).toBe(401);
    const refused = await nodes[0].request('GET', hasToken, { auth: ['mallory', 'guess'] });
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/Too many failed sign-ins as mallory/);
  });

  it('every node is ready; the schedules are shown', async () => {
    for (const node of nodes) expect((await node.request('GET', '/health/ready', { auth: null })).body).toEqual({ status: 'READY', database: 'postgres' });
    const { body } = await nodes[2].request('GET', '/api/v2/schedules');
    expect(body.schedules.map((s: { name: string; enabled: boolean }) => [s.name, s.enabled])).toEqual([
      ['vulndb.sync', true],
      ['exploitation.sync', true],
      ['nvd.sync', false],
    ]);
  });

  it('when the node running a long job is killed, another node finishes it', async () => {
    // The scheduled exploitation sync waits on its KEV download, which is not answered yet.
    await expect.poll(() => heldKev.length, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
    const runningJob = () =>
      ctx.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', SCHEDULED_JOB)
        .where('payload', 'like', '%exploitation.sync%')
        .where('status', '=', 'running')
        .executeTakeFirst();
    await expect.poll(async () => (await runningJob()) !== undefined, { timeout: 15_000, interval: 100 }).toBe(true);
    const job = (await runningJob())!;
    const pid = Number(job.lease_owner!.split(':').at(-2));
    const victim = nodes.find((n) => n.child.pid === pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    releaseKev = true;
    // Its lease runs out (8 s), another node takes the job over and runs it again to the end.
    await expect
      .poll(async () => (await ctx.store.db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).status, { timeout: 30_000, interval: 200 })
      .toBe('succeeded');
    const { attempts } = await ctx.store.db.selectFrom('jobs').select('attempts').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(attempts).toBeGreaterThan(job.attempts);
    const finishers = nodes.filter((n) => n !== victim && n.messages().some((m) => m.startsWith('exploitation data sync: kev failed')));
    expect(finishers.length).toBeGreaterThan(0);
    expect(victim.messages().some((m) => m.startsWith('exploitation data sync: kev'))).toBe(false);
    // The survivors answer as before.
    const survivor = nodes.find((n) => n !== victim)!;
    expect((await survivor.request('GET', '/health/ready', { auth: null })).status).toBe(200);
  }, 60_000);
});
