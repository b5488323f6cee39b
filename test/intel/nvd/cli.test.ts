import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nvdCounts } from '../../../src/intel/nvd/store.js';
import { BUILD_TIMEOUT, MAIN, ROOT, builtProduct } from '../../helpers/build.js';
import { type TestServer, onPostgres, startTestServer } from '../../helpers/server.js';
import { osvRecord, tempDir, writeRecords } from '../advisories/helpers.js';
import { PAGE_38, nvdCve, nvdPage, sharedNvd, tempFile } from './helpers.js';
import { type NvdStandIn, startNvdStandIn } from './nvd-server.js';

/** `tollgate vulndb …` (the built CLI) in a child process, on the test server's database, with the NVD stand-in as the API. */
const KEY = 'cli-test-key-7d2e19b0';
let server: TestServer;
let nvd: NvdStandIn;

beforeAll(builtProduct, BUILD_TIMEOUT);
beforeAll(async () => {
  server = await startTestServer();
  nvd = await startNvdStandIn();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await nvd?.close();
});

async function databaseUrl(): Promise<string> {
  if (!onPostgres) return server.ctx.config.databaseUrl;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(server.ctx.store.db);
  return `${process.env.DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${rows[0].schema}`)}`;
}

async function tollgate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: await databaseUrl(),
    TOLLGATE_NVD_API_URL: nvd.url,
    TOLLGATE_NVD_API_KEY: KEY,
    TOLLGATE_NVD_REQUEST_DELAY_MS: '0',
  };
  delete env.TOLLGATE_CONFIG;
  const config = tempFile('{}');
  return new Promise((resolve, reject) => {
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
    // Log lines (JSON, e.g. the default-password warning) are not part of the command's output.
    const output = (text: string) => text.split('\n').filter((l) => !l.startsWith('{"level"')).join('\n');
    child.on('close', (code) => resolve({ code, stdout: output(stdout), stderr: output(stderr) }));
  });
}

const SUMMARY = /NVD CVE records — \d+ added, \d+ updated, \d+ unchanged, \d+ withdrawn \(Rejected by NVD\), \d+ rejected \(\d+\.\d s\)/;

describe('tollgate vulndb with NVD data', () => {
  it('import tells NVD files from OSV sources by content and prints a summary line for each', async () => {
    const page = tempFile(JSON.stringify(nvdPage([nvdCve('CVE-2099-0001'), nvdCve('CVE-2099-0002', { vulnStatus: 'Rejected' })])));
    // A gzipped NVD page under a name that says nothing.
    const disguised = tempFile(gzipSync(JSON.stringify(nvdPage([nvdCve('CVE-2099-0003')]))), { suffix: '.data' });
    const osv = writeRecords(tempDir(), [osvRecord('PYSEC-2099-1', { aliases: ['CVE-2099-0001'] })]);
    const result = await tollgate(['vulndb', 'import', page, disguised, osv]);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${page.split('/').pop()}: 2 NVD CVE records — 2 added, 0 updated, 0 unchanged, 1 withdrawn \\(Rejected by NVD\\), 0 rejected \\(\\d+\\.\\d s\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^${disguised.split('/').pop()}: 1 NVD CVE records — 1 added`));
    // OSV's line as before.
    expect(lines[2]).toMatch(/^tollgate-osv-\w+: 1 records — 1 added, 0 updated, 0 unchanged, 0 withdrawn, 0 rejected \(\d+\.\d s\)$/);
    expect(result.code).toBe(0);
    expect(await nvdCounts(server.ctx.store.db)).toEqual({ cves: 3, rejected: 1, scored: 0 });
  }, 60_000);

  it('a rejected NVD file prints why, exits 1 and keeps the data; the others still import', async (t) => {
    const recorded = sharedNvd(PAGE_38);
    const good = recorded ?? tempFile(JSON.stringify(nvdPage([nvdCve('CVE-2099-0004')])));
    const broken = tempFile(gzipSync(readFileSync(good)).subarray(0, 400), { suffix: '.json.gz' });
    const result = await tollgate(['vulndb', 'import', broken, good]);
    expect(result.stdout).toContain(`rejected ${broken.split('/').pop()}: the gzip data is truncated or corrupt (unexpected end of file); nothing was imported`);
    expect(result.stdout).toMatch(SUMMARY);
    expect(result.code).toBe(1);
    if (!recorded) t.skip();
  }, 60_000);

  it('sync --nvd fetches from the configured API with the key in a header, never printing it; status shows the NVD data', async () => {
    nvd.timestamp = '2025-01-01T00:00:00.000'; // NVD's clock, behind ours: the mark
    nvd.cves = [nvdCve('CVE-2099-0100', { v31: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }), nvdCve('CVE-2099-0101')];
    const result = await tollgate(['vulndb', 'sync', '--nvd']);
    expect(result.stdout.trim().split('\n')).toEqual([
      'NVD sync: every CVE, 1 pages; changes up to 2025-01-01T00:00:00.000000000Z are in',
      expect.stringMatching(new RegExp(`^${nvd.url.replace(/[.?]/g, '\\$&')}: 2 NVD CVE records — 2 added, 0 updated, 0 unchanged, 0 withdrawn \\(Rejected by NVD\\), 0 rejected`)),
    ]);
    expect(result.code).toBe(0);
    expect(nvd.requests.at(-1)?.headers.apikey).toBe(KEY);
    expect(result.stdout + result.stderr).not.toContain(KEY);

    nvd.statuses = [500];
    const failed = await tollgate(['vulndb', 'sync', '--nvd']);
    expect(failed.stdout).toMatch(/^NVD sync failed: .*answered 500 Internal Server Error: stand-in answers 500; the NVD data is unchanged\n$/);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).not.toContain(KEY);

    const status = await tollgate(['vulndb', 'status']);
    const lines = status.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^NVD: \d+ CVE records \(1 rejected by NVD\), \d+ with a CVSS vector$/);
    expect(lines[2]).toMatch(/^NVD last sync: \S+, changes up to 2025-01-01T00:00:00\.000000000Z: 2 added, 0 updated$/);
    expect(lines[3]).toMatch(/^NVD sync failed at \S+: NVD sync failed: .*answered 500/);
    expect(lines[4]).toMatch(/^NVD last file import: /);
    expect(status.code).toBe(0);

    const misuse = await tollgate(['vulndb', 'sync', '--full']);
    expect(misuse.code).toBe(1);
    expect(misuse.stderr).toContain('--full is for --nvd');
    const mixed = await tollgate(['vulndb', 'sync', '--nvd', '--ecosystem', 'PyPI']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('--ecosystem and --mirror are for the OSV sync; --nvd syncs NVD alone');
  }, 90_000);
});
