/**
 * Webhooks of the built server (`node dist/cli/main.js serve`, what `npm start` runs; `npm run bench`
 * builds first), posting to a receiver in this process on the loopback interface (which checks every
 * signature as the seed's receiver does):
 *
 * 1. Delivery rate: the receiver refuses everything (503) while BACKLOG events are raised (they
 *    wait behind the first, which is retried every 2 s); then it accepts, and at the next retry the
 *    whole backlog goes out back to back. Events per second from the first accepted to the last.
 * 2. The latency a scan gains with 3 webhooks subscribed to every event type: SCANS scans of a
 *    COMPONENTS-component SBOM each way, submit → result ready, alternating between the 3 webhooks
 *    subscribed to every event and to none a scan raises; the medians and their difference. Also
 *    how long after the result the evaluation event has reached all 3 receivers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const ADMIN = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;
const SECRET = 'bench-secret';
const BACKLOG = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
const SCANS = Number(process.env.BENCH_WEBHOOK_SCANS ?? 15);
const COMPONENTS = Number(process.env.BENCH_WEBHOOK_COMPONENTS ?? 200);
const ALL = ['iq:applicationEvaluation', 'iq:policyManagement', 'iq:policyAlert', 'iq:licenseOverrideManagement', 'iq:securityVulnerabilityOverrideManagement', 'iq:policyWaiverManagement'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

interface Arrival {
  type: string;
  at: number;
  body: Record<string, unknown>;
}

/** A receiver that checks each signature (HMAC-SHA1 of the body as received) and records arrivals. */
async function startReceiver(): Promise<{ url: string; arrivals: Arrival[]; refuse: (on: boolean) => void; close: () => Promise<void> }> {
  const arrivals: Arrival[] = [];
  let refuse = false;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (refuse) {
        res.writeHead(503).end();
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const expected = createHmac('sha1', SECRET).update(JSON.stringify(JSON.parse(text))).digest('hex');
      if (req.headers['x-nexus-webhook-signature'] !== expected) throw new Error('bad signature');
      arrivals.push({ type: String(req.headers['x-nexus-webhook-id']), at: performance.now(), body: JSON.parse(text) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    arrivals,
    refuse: (on: boolean) => {
      refuse = on;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function sbom(seed: number): string {
  const components = Array.from({ length: COMPONENTS }, (_, i) => ({
    type: 'library',
    'bom-ref': `c${i}`,
    name: `bench-hook-${i}`,
    version: `1.0.${seed}`,
    purl: `pkg:npm/bench-hook-${i}@1.0.${seed}`,
    licenses: [{ license: { id: i % 10 === 0 ? 'GPL-3.0-only' : 'MIT' } }],
  }));
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-webhook-bench-'));
  const configFile = join(dataDir, 'config.json');
  // Loopback receivers allowed; retries every 2 s.
  writeFileSync(configFile, JSON.stringify({ webhooks: { allowLoopback: true, retryInitialMs: 2000, retryMaxMs: 2000 } }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const receiver = await startReceiver();
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile], {
    env: { PATH: process.env.PATH, TOLLGATE_PORT: String(port), TOLLGATE_HOST: '127.0.0.1', TOLLGATE_DATA_DIR: dataDir, TOLLGATE_LOG_LEVEL: 'error', TOLLGATE_REGISTRIES_OFFLINE: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const api = async (method: string, path: string, body?: unknown, raw?: string) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  try {
    await waitForHealth(url, child);

    // 1. Delivery rate of a backlog.
    const hook = await api('POST', '/api/v2/webhooks', { url: receiver.url, secretKey: SECRET, eventTypes: ['iq:policyManagement'] });
    receiver.refuse(true);
    const org = (await api('POST', '/api/v2/organizations', { name: 'Webhook bench' })).id;
    const raiseStart = performance.now();
    for (let i = 0; i < BACKLOG; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, BACKLOG - i) }, (_, j) => api('POST', `/api/v2/labels/organization/${org}`, { label: `l${i + j}`, description: 'bench', color: 'light-red' })),
      );
    }
    const raiseSeconds = (performance.now() - raiseStart) / 1000;
    receiver.refuse(false);
    await until('the first event', () => receiver.arrivals.length > 0);
    const first = receiver.arrivals[0].at;
    await until('the backlog', () => receiver.arrivals.length >= BACKLOG + 1);
    const seconds = (receiver.arrivals[BACKLOG].at - first) / 1000;
    console.log(`${BACKLOG} events raised in ${raiseSeconds.toFixed(1)} s (${(BACKLOG / raiseSeconds).toFixed(0)} label changes/s through the API, each signed in with a password) while the receiver refused`);
    console.log(`backlog delivered after the retry: ${BACKLOG} events in ${seconds.toFixed(2)} s = ${(BACKLOG / seconds).toFixed(0)} events/s (one webhook, in order, signed)`);
    await api('DELETE', `/api/v2/webhooks/${hook.id}`);

    // 2. Scan latency without and with 3 webhooks.
    const app = (await api('POST', '/api/v2/applications', { publicId: 'webhook-bench', name: 'webhook-bench', organizationId: 'ROOT_ORGANIZATION_ID' })).id;
    const scan = async (seed: number) => {
      const start = performance.now();
      const submitted = await api('POST', `/api/v2/scan/applications/${app}/sources/cyclonedx?stageId=release`, undefined, sbom(seed));
      for (;;) {
        const res = await fetch(`${url}/${submitted.statusUrl}`, { headers: { authorization: ADMIN } });
        if (res.status === 200) {
          await res.text();
          return { ms: performance.now() - start, done: performance.now() };
        }
        await res.text();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const hooks: string[] = [];
    for (let i = 0; i < 3; i++) hooks.push((await api('POST', '/api/v2/webhooks', { url: receiver.url, secretKey: SECRET, eventTypes: ALL })).id);
    // Off: subscribed to an event no scan here raises.
    const subscribe = (eventTypes: string[]) => Promise.all(hooks.map((id) => api('PUT', `/api/v2/webhooks/${id}`, { url: receiver.url, eventTypes })));
    await subscribe(['iq:waiverExpiration']);
    for (let i = 0; i < 5; i++) await scan(1000 + i); // warm-up
    const without: number[] = [];
    const withHooks: number[] = [];
    const eventLag: number[] = [];
    for (let i = 0; i < SCANS; i++) {
      without.push((await scan(2 * i)).ms);
      await subscribe(ALL);
      const before = receiver.arrivals.length;
      const { ms, done } = await scan(2 * i + 1);
      withHooks.push(ms);
      // 3 webhooks × (evaluation + violation alert).
      await until('the evaluation events', () => receiver.arrivals.length >= before + 6);
      const evaluationArrivals = receiver.arrivals.slice(before).filter((a) => a.type === 'iq:applicationEvaluation');
      eventLag.push(Math.max(...evaluationArrivals.map((a) => a.at)) - done);
      await subscribe(['iq:waiverExpiration']);
    }
    const m0 = median(without);
    const m3 = median(withHooks);
    console.log(`scan of ${COMPONENTS} components, submit → result (median of ${SCANS}): ${m0.toFixed(0)} ms without webhooks, ${m3.toFixed(0)} ms with 3 webhooks: +${(m3 - m0).toFixed(0)} ms`);
    console.log(`evaluation event at all 3 receivers, after the result was ready (median): ${median(eventLag).toFixed(0)} ms`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
