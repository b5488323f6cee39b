/**
 * Memory under big uploads: 8 concurrent ~60 MB CycloneDX JSON SBOMs sent to the third-party scan
 * of the built server (`node dist/cli/main.js serve`, what `npm start` runs; `npm run bench` builds
 * first), its resident memory sampled from /proc/<pid>/status (VmRSS every 10 ms, VmHWM at the end).
 * A 503 with Retry-After (the upload budget is full) is retried after the time it names; every
 * upload must end accepted (202). Goal: peak RSS under 600 MiB.
 *
 * The scan takes the body as text whatever its content type (a multipart body is no SBOM there), so
 * there is no multipart upload to measure. BENCH_UPLOAD_ENV='NAME=value …' adds environment to the
 * server (e.g. TOLLGATE_UPLOADS_MAX_CONCURRENT_BYTES=2147483648 to measure without the budget).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const UPLOADS = 8;
const TARGET_BYTES = 60 * 1024 * 1024;
/**
 * 2,500 components with ~24 KB descriptions: the bytes are mostly text, so the figure is what reading
 * the uploads costs. BENCH_UPLOAD_COMPONENTS=20000 makes the same bytes many components: then the
 * evaluations the uploads queue (two at a time, in the same process) dominate the peak.
 */
const COMPONENTS = Number(process.env.BENCH_UPLOAD_COMPONENTS ?? 2500);
const GOAL = 600 * 1024 * 1024;
const ADMIN = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A CycloneDX 1.5 JSON SBOM of about `bytes`: COMPONENTS npm components with long descriptions (over 2,000: no schema check). */
function bigSbom(seed: number, bytes: number): Buffer {
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
  const descriptionLength = Math.max(0, Math.floor(bytes / COMPONENTS) - 260);
  const description = filler.repeat(Math.ceil(descriptionLength / filler.length)).slice(0, descriptionLength);
  const parts: string[] = [
    `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"serialNumber":"urn:uuid:00000000-0000-4000-8000-${String(seed).padStart(12, '0')}","components":[`,
  ];
  for (let i = 0; i < COMPONENTS; i++) {
    const name = `bench-upload-${seed}-${i}`;
    parts.push(
      `${i ? ',' : ''}{"type":"library","bom-ref":"c${i}","name":"${name}","version":"1.0.${i % 100}","purl":"pkg:npm/${name}@1.0.${i % 100}","description":"${description}"}`,
    );
  }
  parts.push(']}');
  return Buffer.from(parts.join(''), 'utf8');
}

function status(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
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

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-upload-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const extra = Object.fromEntries(
    (process.env.BENCH_UPLOAD_ENV ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      PATH: process.env.PATH,
      TOLLGATE_PORT: String(port),
      TOLLGATE_HOST: '127.0.0.1',
      TOLLGATE_DATA_DIR: dataDir,
      TOLLGATE_LOG_LEVEL: 'error',
      TOLLGATE_REGISTRIES_OFFLINE: 'true',
      ...extra,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const pid = child.pid!;
  try {
    await waitForHealth(url, child);
    const idle = status(pid);
    const created = await fetch(`${url}/api/v2/applications`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ publicId: 'upload-bench', name: 'upload-bench', organizationId: 'ROOT_ORGANIZATION_ID' }),
    });
    if (!created.ok) throw new Error(`creating the application: ${created.status} ${await created.text()}`);
    const { id: applicationId } = (await created.json()) as { id: string };

    const bodies = Array.from({ length: UPLOADS }, (_, i) => bigSbom(i, TARGET_BYTES));
    console.log(`${UPLOADS} concurrent uploads of ${mib(bodies[0].length)} (${COMPONENTS} components each) to the third-party scan`);
    console.log(`server idle: RSS ${mib(idle.rss)}${Object.keys(extra).length ? `; server environment ${JSON.stringify(extra)}` : ''}`);

    let peak = idle.rss;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, status(pid).rss);
      } catch {
        // exited
      }
    }, 10);
    const started = performance.now();
    let refused = 0;
    const upload = async (body: Buffer) => {
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${url}/api/v2/scan/applications/${applicationId}/sources/cyclonedx`, {
          method: 'POST',
          headers: { authorization: ADMIN, 'content-type': 'application/json' },
          body,
        });
        const text = await response.text();
        if (response.status === 202) return { attempt, ms: performance.now() - started };
        const retryAfter = Number(response.headers.get('retry-after'));
        if ((response.status === 503 || response.status === 429) && retryAfter > 0 && attempt < 100) {
          refused++;
          await new Promise((r) => setTimeout(r, retryAfter * 1000));
          continue;
        }
        throw new Error(`upload answered ${response.status}: ${text.slice(0, 200)}`);
      }
    };
    const results = await Promise.all(bodies.map(upload));
    const uploadsDone = performance.now() - started;
    // A little longer: what the answered requests leave behind, and the queued evaluations starting.
    await new Promise((r) => setTimeout(r, 3000));
    clearInterval(sampler);
    const end = status(pid);
    peak = Math.max(peak, end.rss);
    console.log(
      `all ${UPLOADS} accepted in ${(uploadsDone / 1000).toFixed(1)} s (${refused} answers were 503 + Retry-After and retried; ` +
        `attempts ${results.map((r) => r.attempt).join(',')})`,
    );
    console.log(`server peak RSS (sampled) ${mib(peak)}; VmHWM ${mib(end.hwm)}; RSS 3 s after the last answer ${mib(end.rss)}`);
    const worst = Math.max(peak, end.hwm);
    console.log(`goal: peak under ${mib(GOAL)}: ${worst < GOAL ? 'met' : 'NOT met'}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
