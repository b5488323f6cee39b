/**
 * Registry facts never stall an evaluation: the built server (bench/registry-server.mjs, as
 * `npm start` runs it) evaluates the same SBOMs with
 *
 * - `defaults`: the server's own registry settings. On this machine the npm registry answers and
 *   PyPI and Maven Central do not: their names do not resolve, so each request fails at once;
 * - `offline`: `registries.offline`, where nothing is ever asked;
 * - `timeout`: PyPI and Maven Central at a local port that accepts connections and never answers
 *   (a hung or firewalled registry), with the default `registries.timeoutMs`;
 *
 * over HTTP (submit, then poll the status URL every 20 ms): a 10,000-component SBOM of PyPI and Go
 * packages, a first run and warm runs, then 2,000 PyPI components the cache has never seen. The
 * three servers run side by side and take turns, so that other work on a shared machine weighs on
 * each alike; the servers' CPU time per evaluation is shown too. Goals: warm 10,000 under
 * `defaults` and `timeout` as fast as `offline`; 2,000 unreachable-registry components under 1.5 s,
 * the first time included. No advisories are imported: the registry's part is what is measured.
 * About two minutes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_CHILD = fileURLToPath(new URL('./registry-server.mjs', import.meta.url));
const ADMIN = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;
const WARM_RUNS = 6;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/** A CycloneDX 1.5 JSON SBOM; every tenth component declares no license. */
function sbom(purls: string[]): string {
  const components = purls.map((purl, i) => {
    const name = purl.slice(purl.indexOf('/') + 1, purl.lastIndexOf('@'));
    return {
      type: 'library',
      'bom-ref': purl,
      name,
      version: purl.slice(purl.lastIndexOf('@') + 1),
      purl,
      ...(i % 10 === 9 ? {} : { licenses: [{ license: { id: i % 2 ? 'MIT' : 'Apache-2.0' } }] }),
    };
  });
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'bench-application', version: '1.0.0' } },
    components,
    dependencies: [{ ref: 'app', dependsOn: components.map((c) => c['bom-ref']) }],
  });
}

const MIXED = sbom([
  ...Array.from({ length: 5000 }, (_, i) => `pkg:pypi/bench-lib-${i}@${1 + (i % 4)}.${i % 10}.${i % 7}`),
  ...Array.from({ length: 5000 }, (_, i) => `pkg:golang/example.org/bench/mod${i}@v${1 + (i % 3)}.${i % 10}.0`),
]);
const PYPI_2000 = sbom(Array.from({ length: 2000 }, (_, i) => `pkg:pypi/fresh-lib-${i}@2.${i % 10}.1`));

interface Child {
  process: ChildProcess;
  url: string;
  /** Warning lines the server logged (a registry going down is one). */
  warnings: string[];
}

async function startChild(overrides: object): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-registry-'));
  const child = fork(SERVER_CHILD, [dataDir, JSON.stringify(overrides)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const warnings: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      try {
        const entry = JSON.parse(line) as { level: number; msg: string };
        if (entry.level >= 40) warnings.push(entry.msg);
      } catch {
        warnings.push(line);
      }
    }
  });
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  return { process: child, url: ready.url, warnings };
}

function ask<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { type: string; message?: string }) => {
      if (m.type !== 'error' && m.type !== reply) return;
      child.off('message', on);
      if (m.type === 'error') reject(new Error(m.message));
      else resolve(m as T);
    };
    child.on('message', on);
    child.send(message);
  });
}

async function stopChild(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.send({ type: 'stop' });
  await exited;
}

async function http(url: string, method: string, path: string, body?: string) {
  const res = await fetch(url + path, { method, headers: { authorization: ADMIN, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
  return { status: res.status, text: await res.text() };
}

/** Submit → report over HTTP; the evaluation job's own time from the jobs table; the server's CPU time meanwhile. */
async function evaluate(child: Child, applicationId: string, text: string): Promise<Run> {
  await ask(child.process, { type: 'reset' }, 'ok');
  const started = performance.now();
  const submitted = await http(child.url, 'POST', `/api/v2/scan/applications/${applicationId}/sources/cyclonedx?stageId=build`, text);
  if (submitted.status !== 202) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  const statusUrl = `/${JSON.parse(submitted.text).statusUrl}`;
  for (;;) {
    const status = await http(child.url, 'GET', statusUrl);
    if (status.status === 200) {
      const total = performance.now() - started;
      const { ms: cpu } = await ask<{ ms: number }>(child.process, { type: 'cpu' }, 'cpu');
      const job = await ask<Record<string, string>>(child.process, { type: 'job', requestId: statusUrl.split('/').at(-1) }, 'job');
      return { total, cpu, job: Date.parse(job.finished_at) - Date.parse(job.started_at) };
    }
    if (status.status !== 404) throw new Error(`status: ${status.status} ${status.text}`);
    if (performance.now() - started > 120_000) throw new Error('no report after 2 minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Run {
  total: number;
  cpu: number;
  job: number;
}

interface Scenario {
  name: string;
  child: Child;
  applicationId: string;
  mixed: Run[];
  fresh: Run[];
}

async function startScenario(name: string, overrides: object): Promise<Scenario> {
  const child = await startChild(overrides);
  const created = await http(child.url, 'POST', '/api/v2/applications', JSON.stringify({ publicId: 'bench-app', name: 'bench-app', organizationId: 'ROOT_ORGANIZATION_ID' }));
  return { name, child, applicationId: JSON.parse(created.text).id as string, mixed: [], fresh: [] };
}

const warmOf = (s: Scenario) => s.mixed.slice(1);

async function report(s: Scenario): Promise<void> {
  const { jobs } = await ask<{ jobs: Array<{ type: string; status: string; result: string | null }> }>(s.child.process, { type: 'jobs' }, 'jobs');
  const warm = warmOf(s);
  console.log(
    `${s.name}:\n` +
      `  10,000 (5,000 PyPI + 5,000 Go): first ${ms(s.mixed[0].total)}, warm ${warm.map((r) => ms(r.total)).join(', ')}\n` +
      `    warm medians: ${ms(median(warm.map((r) => r.total)))} end to end, evaluation job ${ms(median(warm.map((r) => r.job)))}, server CPU ${ms(median(warm.map((r) => r.cpu)))}\n` +
      `  2,000 PyPI never seen before: first ${ms(s.fresh[0].total)} (server CPU ${ms(s.fresh[0].cpu)}), then ${s.fresh.slice(1).map((r) => ms(r.total)).join(', ')}\n` +
      `  background jobs (when the last run ended): ${describeJobs(jobs)}\n` +
      `  server warnings: ${s.child.warnings.filter((w) => !w.includes('default password')).map((w) => JSON.stringify(w)).join('; ') || 'none'}`,
  );
}

/** Jobs by type and status, with their results summed: `registry-fetch: 25 succeeded (5000 packages: 5000 unreachable)`. */
function describeJobs(jobs: Array<{ type: string; status: string; result: string | null }>): string {
  if (!jobs.length) return 'none';
  const groups = new Map<string, { count: number; sums: Record<string, number> }>();
  for (const j of jobs) {
    const key = `${j.type}: ${j.status}`;
    const group = groups.get(key) ?? { count: 0, sums: {} };
    group.count++;
    for (const [k, v] of Object.entries(j.result ? (JSON.parse(j.result) as Record<string, unknown>) : {})) if (typeof v === 'number') group.sums[k] = (group.sums[k] ?? 0) + v;
    groups.set(key, group);
  }
  return [...groups]
    .map(([key, g]) => {
      const sums = Object.entries(g.sums).filter(([, v]) => v > 0);
      return `${key} ×${g.count}${sums.length ? ` (${sums.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`;
    })
    .join('; ');
}

/** A registry that accepts connections and never answers: every request runs into registries.timeoutMs. */
async function blackHole(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, sockets };
}

async function main(): Promise<void> {
  console.log(`SBOMs: 10,000 components (5,000 PyPI, 5,000 Go), ${(MIXED.length / 1024 / 1024).toFixed(1)} MiB; 2,000 PyPI components; ${WARM_RUNS} warm runs each`);
  const hole = await blackHole();
  const scenarios: Scenario[] = [];
  try {
    scenarios.push(await startScenario('offline (registries.offline)', { registries: { offline: true } }));
    scenarios.push(await startScenario('defaults (npm reachable; PyPI and Maven Central names do not resolve)', {}));
    scenarios.push(
      await startScenario('timeout (PyPI and Maven Central accept connections and never answer; registries.timeoutMs 15000)', {
        registries: { pypi: { url: hole.url }, maven: { url: `${hole.url}/maven2`, searchUrl: 'off' } },
      }),
    );
    for (let run = 0; run <= WARM_RUNS; run++) for (const s of scenarios) s.mixed.push(await evaluate(s.child, s.applicationId, MIXED));
    for (let run = 0; run < 3; run++) for (const s of scenarios) s.fresh.push(await evaluate(s.child, s.applicationId, PYPI_2000));
    for (const s of scenarios) await report(s);
  } finally {
    for (const s of scenarios) await stopChild(s.child);
    for (const socket of hole.sockets) socket.destroy();
    hole.server.close();
  }
  const [offline, defaults, timeout] = scenarios;
  const warm = (s: Scenario, key: 'total' | 'cpu') => median(warmOf(s).map((r) => r[key]));
  const near = (s: Scenario) => warm(s, 'total') <= warm(offline, 'total') * 1.15 + 50 || warm(s, 'cpu') <= warm(offline, 'cpu') * 1.15 + 50;
  const line = (s: Scenario) => `${s.name.split(' ')[0]} ${ms(warm(s, 'total'))} (CPU ${ms(warm(s, 'cpu'))}) ${near(s) ? 'met' : 'MISSED'}`;
  const fresh = (s: Scenario) => `${s.name.split(' ')[0]} ${ms(s.fresh[0].total)} ${s.fresh[0].total < 1500 ? 'met' : 'MISSED'}`;
  console.log(
    `goals:\n` +
      `  warm 10,000 as fast as offline (${ms(warm(offline, 'total'))}, CPU ${ms(warm(offline, 'cpu'))}; within 15%): ${line(defaults)}, ${line(timeout)}\n` +
      `  2,000 unreachable-registry components under 1500 ms, first time: ${fresh(defaults)}, ${fresh(timeout)}`,
  );
}

await main();
