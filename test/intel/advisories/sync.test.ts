import { spawn } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { advisoryCounts } from '../../../src/intel/advisories/advisory-store.js';
import { runScheduledSync } from '../../../src/intel/advisories/schedule.js';
import { openOsvSource } from '../../../src/intel/advisories/source.js';
import { MirrorUnreachableError, archiveUrl, syncVulnerabilityData } from '../../../src/intel/advisories/sync.js';
import type { AppContext } from '../../../src/core/context.js';
import { BUILD_TIMEOUT, MAIN, ROOT, builtProduct } from '../../helpers/build.js';
import { runDueSchedules } from '../../helpers/schedules.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { osvRecord, sharedOsvZip, tempDir, writeRecords } from './helpers.js';
import { makeZip } from './zip-writer.js';

const realZip = sharedOsvZip('PyPI');
const RECORDS = 300;

let server: TestServer;
let mirror: Server;
let mirrorUrl: string;
let dir: string;
let pypiZip: Buffer;
const requests: string[] = [];

/** A mirror on a loopback port: PyPI/all.zip made from the first records of the real export. */
beforeAll(async () => {
  if (!realZip) return;
  server = await startTestServer();
  dir = tempDir();
  const source = await openOsvSource(realZip);
  const entries: { name: string; data: string }[] = [];
  for await (const entry of source.entries()) {
    entries.push({ name: entry.name, data: entry.text });
    if (entries.length === RECORDS) break;
  }
  pypiZip = makeZip(entries);
  const hostile = makeZip([entries[0], { name: '../../etc/cron.d/x.json', data: '{}' }]);
  mirror = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/PyPI/all.zip') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': pypiZip.length });
      // Two writes, so that the download sees more than one chunk.
      res.write(pypiZip.subarray(0, 1000));
      res.end(pypiZip.subarray(1000));
    } else if (req.url === '/Hostile/all.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(hostile);
    } else {
      res.writeHead(404).end('no such object');
    }
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => (mirror ? mirror.close(resolve) : resolve(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A context whose log lines are collected. */
function loggingContext(config: Partial<AppContext['config']['vulndb']> = {}): { ctx: AppContext; lines: () => { level: number; msg: string }[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const ctx: AppContext = {
    ...server.ctx,
    config: { ...server.ctx.config, vulndb: { ...server.ctx.config.vulndb, ...config } },
    log: pino({ level: 'info' }, stream),
  };
  return { ctx, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const tempFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('tollgate-vulndb-'));

describe.skipIf(!realZip)('vulndb sync from a mirror', () => {
  it('builds <mirror>/<Ecosystem>/all.zip URLs', () => {
    expect(archiveUrl('https://osv-vulnerabilities.storage.googleapis.com', 'PyPI')).toBe(
      'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip',
    );
    expect(archiveUrl('http://m/x/', 'crates.io')).toBe('http://m/x/crates.io/all.zip');
    expect(archiveUrl('http://m', 'Debian:12')).toBe('http://m/Debian%3A12/all.zip');
  });

  it('mirror configuration: default the public OSV bucket, TOLLGATE_VULNDB_MIRROR overrides, sync off by default', () => {
    const defaults = loadConfig({ file: false, env: {} });
    expect(defaults.vulndb).toMatchObject({ mirrorUrl: 'https://osv-vulnerabilities.storage.googleapis.com', syncIntervalHours: 0 });
    expect(defaults.vulndb.ecosystems).toContain('PyPI');
    const custom = loadConfig({ file: false, env: { TOLLGATE_VULNDB_MIRROR: 'http://mirror.internal/osv', TOLLGATE_VULNDB_SYNC_INTERVAL_HOURS: '6' } });
    expect(custom.vulndb).toMatchObject({ mirrorUrl: 'http://mirror.internal/osv', syncIntervalHours: 6 });
  });

  it('downloads and imports each ecosystem; one the mirror lacks fails alone', async () => {
    const before = tempFolders().length;
    const downloads: [string, number][] = [];
    const imports: [string, number][] = [];
    const results = await syncVulnerabilityData(server.ctx, {
      ecosystems: ['PyPI', 'Go', 'Hostile'],
      mirrorUrl,
      onDownloadProgress: (ecosystem, received) => downloads.push([ecosystem, received]),
      onImportProgress: (ecosystem, done) => imports.push([ecosystem, done]),
    });
    expect(results.map((r) => [r.ecosystem, r.ok])).toEqual([
      ['PyPI', true],
      ['Go', false],
      ['Hostile', false],
    ]);
    const [pypi, go, hostile] = results;
    if (!pypi.ok || go.ok || hostile.ok) throw new Error('unexpected');
    expect(pypi.bytes).toBe(pypiZip.length);
    expect(pypi.summary).toMatchObject({ source: 'PyPI/all.zip', records: RECORDS, added: RECORDS, rejected: [] });
    expect(go.error).toBe(`${mirrorUrl}Go/all.zip answered 404 Not Found`);
    expect(hostile.error).toMatch(/Hostile\/all\.zip: entry name points outside the archive .*path traversal/);
    expect(downloads.filter(([e]) => e === 'PyPI').at(-1)).toEqual(['PyPI', pypiZip.length]);
    expect(imports.filter(([e]) => e === 'PyPI').at(-1)).toEqual(['PyPI', RECORDS]);
    expect((await advisoryCounts(server.ctx.store.db)).records).toBe(RECORDS);
    expect(tempFolders().length).toBe(before);

    const again = await syncVulnerabilityData(server.ctx, { ecosystems: ['PyPI'], mirrorUrl });
    expect(again[0].ok && again[0].summary).toMatchObject({ added: 0, updated: 0, unchanged: RECORDS });
  });

  it('an unreachable mirror stops the sync with a clear error', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const attempt = syncVulnerabilityData(server.ctx, { ecosystems: ['PyPI', 'Go'], mirrorUrl: url });
    await expect(attempt).rejects.toThrow(MirrorUnreachableError);
    await expect(attempt).rejects.toThrow(`cannot reach ${url}/PyPI/all.zip (ECONNREFUSED)`);
  });

  it('the scheduled sync logs one line when the mirror is unreachable, and carries on', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { ctx, lines } = loggingContext({ mirrorUrl: url, ecosystems: ['PyPI', 'Go'], syncIntervalHours: 24 });
    await expect(runScheduledSync(ctx)).resolves.toBeUndefined();
    expect(lines().map((l) => l.msg)).toEqual([
      `vulnerability data sync: mirror unreachable: cannot reach ${url}/PyPI/all.zip (ECONNREFUSED); keeping the advisories we have; next try in 24 h`,
    ]);
    expect(lines()[0].level).toBe(40);
  });

  it('the schedule: off at 0 hours; otherwise it runs, logs what it did, and stops', async () => {
    expect(await runDueSchedules(loggingContext({ syncIntervalHours: 0 }).ctx)).toEqual([]);
    const { ctx, lines } = loggingContext({ mirrorUrl, ecosystems: ['PyPI'], syncIntervalHours: 12 });
    const served = requests.length;
    expect(await runDueSchedules(ctx)).toEqual(['vulndb.sync']);
    expect(lines().map((l) => l.msg)).toEqual([
      `vulnerability data sync every 12 h from ${mirrorUrl}`,
      'vulnerability data sync: 1 of 1 ecosystems imported, 0 advisories added, 0 updated',
    ]);
    expect(requests.slice(served)).toEqual(['/PyPI/all.zip']);
  });
});

describe.skipIf(!realZip)('the vulndb command', () => {
  // The built CLI, as people run it (helpers/build.ts builds it once per change of the sources).
  beforeAll(builtProduct, BUILD_TIMEOUT);

  function tollgate(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, TOLLGATE_DATA_DIR: dataDir, TOLLGATE_VULNDB_MIRROR: mirrorUrl, TOLLGATE_ADMIN_PASSWORD: 'not-the-default' };
    delete env.DATABASE_URL; // its own SQLite database under dataDir
    delete env.TOLLGATE_CONFIG;
    return new Promise((resolve, reject) => {
      // From the repository, with an empty configuration file of its own.
      const config = join(dataDir, 'config.json');
      writeFileSync(config, '{}');
      const child = spawn(process.execPath, [MAIN, '-c', config, ...args], { env, cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('sync, import and match print summaries; a rejected source makes the exit code 1', async () => {
    const dataDir = tempDir('tollgate-cli-');
    try {
      const sync = await tollgate(['vulndb', 'sync', '--ecosystem', 'PyPI'], dataDir);
      expect(sync.stdout).toMatch(/^PyPI\/all\.zip: 300 records — 300 added, 0 updated, 0 unchanged, \d+ withdrawn, 0 rejected \(/m);
      expect(sync.code).toBe(0);

      const records = join(dataDir, 'records');
      (await import('node:fs')).mkdirSync(records);
      writeRecords(records, [osvRecord('GHSA-cli0-0000-0000', { affected: [{ package: { ecosystem: 'PyPI', name: 'Flask' }, versions: ['0.1'] }] })]);
      writeFileSync(join(records, 'broken.json'), JSON.stringify({ id: 'PYSEC-0000-1' }));
      writeFileSync(join(dataDir, 'bomb.zip'), makeZip([{ name: 'a.json', data: Buffer.alloc(8 * 1024 * 1024, 32) }]));
      const imported = await tollgate(['vulndb', 'import', records, join(dataDir, 'bomb.zip')], dataDir);
      expect(imported.stdout).toContain('records: 2 records — 1 added, 0 updated, 0 unchanged, 0 withdrawn, 1 rejected');
      expect(imported.stdout).toContain('  rejected PYSEC-0000-1: "modified" is missing');
      expect(imported.stdout).toMatch(/^rejected bomb\.zip: entry a\.json compresses \d+:1, more than the limit of 100:1 \(zip bomb\?\)$/m);
      expect(imported.code).toBe(1);

      const matched = await tollgate(['vulndb', 'match', 'PyPI', 'flask', '0.1'], dataDir);
      expect(matched.stdout).toContain('GHSA-cli0-0000-0000: summary of GHSA-cli0-0000-0000');
      const status = await tollgate(['vulndb', 'status'], dataDir);
      expect(status.stdout).toMatch(/^301 advisories \(\d+ withdrawn\)/m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
