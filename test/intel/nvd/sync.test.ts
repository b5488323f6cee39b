import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { runScheduledNvdSync } from '../../../src/intel/nvd/schedule.js';
import { lastNvdImport, lastSyncedUntil, nvdCounts, nvdRecordsFor } from '../../../src/intel/nvd/store.js';
import { type NvdSyncOptions, lastModifiedRanges, syncNvd } from '../../../src/intel/nvd/sync.js';
import type { AppContext } from '../../../src/core/context.js';
import { runDueSchedules } from '../../helpers/schedules.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { PAGE_RAILS, PAGE_V4, nvdCve, sharedNvd } from './helpers.js';
import { type NvdStandIn, startNvdStandIn } from './nvd-server.js';

const KEY = 'e2e-test-key-0f3c9a71-4b1d';
let server: TestServer;
let nvd: NvdStandIn;

beforeAll(async () => {
  server = await startTestServer();
  nvd = await startNvdStandIn();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await nvd?.close();
});
beforeEach(() => {
  nvd.requests.length = 0;
  nvd.statuses = [];
  nvd.recorded = undefined;
  nvd.brokenAt = undefined;
});

/** The test server's context at a given time, with a log the test can read. */
function contextAt(iso: string, nvdConfig: Partial<AppContext['config']['nvd']> = {}): { ctx: AppContext; messages: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const ctx: AppContext = {
    ...server.ctx,
    config: { ...server.ctx.config, nvd: { ...server.ctx.config.nvd, apiUrl: nvd.url, requestDelayMs: 0, ...nvdConfig } },
    log: pino({ level: 'info' }, stream),
    now: () => new Date(iso),
  };
  return { ctx, messages: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).msg) };
}

const fast = (extra: Partial<NvdSyncOptions> = {}): NvdSyncOptions => ({ apiUrl: nvd.url, requestDelayMs: 0, retryDelayMs: 1, ...extra });
const cveRows = () => server.ctx.store.db.selectFrom('nvd_cves').selectAll().orderBy('id').execute();
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe('NVD API sync', () => {
  it('configuration: NVD API by default, no key, no schedule; environment variables set them; the key is never repeated', () => {
    expect(loadConfig({ file: false, env: {} }).nvd).toEqual({ apiUrl: 'https://services.nvd.nist.gov/rest/json/cves/2.0', apiKey: '', syncIntervalHours: 0 });
    const env = { TOLLGATE_NVD_API_URL: 'http://m/cves', TOLLGATE_NVD_API_KEY: KEY, TOLLGATE_NVD_SYNC_INTERVAL_HOURS: '12', TOLLGATE_NVD_REQUEST_DELAY_MS: '100' };
    expect(loadConfig({ file: false, env }).nvd).toEqual({ apiUrl: 'http://m/cves', apiKey: KEY, syncIntervalHours: 12, requestDelayMs: 100 });
    let message = '';
    try {
      loadConfig({ file: false, env: {}, overrides: { 'nvd.apiKey': [KEY], 'nvd.requestDelayMs': -1 } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/nvd\.apiKey: must be string/);
    expect(message).toMatch(/nvd\.requestDelayMs: must be >= 0 \(got -1\)/);
    expect(message).not.toContain(KEY);
  });

  it('splits a lastModified span into ranges of at most 120 days', () => {
    const day = 86_400_000;
    expect(lastModifiedRanges(0, 300 * day)).toEqual([
      { start: 0, end: 120 * day },
      { start: 120 * day, end: 240 * day },
      { start: 240 * day, end: 300 * day },
    ]);
    expect(lastModifiedRanges(0, 120 * day)).toEqual([{ start: 0, end: 120 * day }]);
    expect(lastModifiedRanges(5, 5)).toEqual([{ start: 5, end: 5 }]);
  });

  it('the first sync fetches every CVE (recorded pages: startIndex 0, then 2), imports them and sets the high-water mark', async (t) => {
    const [page1, page2] = [sharedNvd(PAGE_RAILS), sharedNvd(PAGE_V4)];
    if (!page1 || !page2) return t.skip();
    nvd.recorded = new Map([
      [0, readFileSync(page1)],
      [2, readFileSync(page2)],
    ]);
    const { ctx } = contextAt('2099-06-01T12:00:00.000Z');
    const progress: string[] = [];
    const result = await syncNvd(ctx, fast({ apiKey: KEY, onFetchProgress: (fetched, total) => progress.push(`${fetched}/${total}`) }));
    expect(nvd.requests.map((r) => r.params)).toEqual([
      { resultsPerPage: '2000', startIndex: '0' },
      { resultsPerPage: '2000', startIndex: '2' },
    ]);
    expect(nvd.requests.map((r) => r.headers.apikey)).toEqual([KEY, KEY]);
    expect(progress).toEqual(['2/3', '3/3']);
    expect(result).toMatchObject({ full: true, pages: 2, requests: 2, ranges: [], summary: { records: 3, added: 3 } });
    // NVD's clock (the first page's timestamp) is earlier than ours: the mark is NVD's.
    expect(result.syncedUntil).toBe('2023-11-27T04:36:56.737000000Z');
    expect(await lastSyncedUntil(server.ctx.store.db)).toBe('2023-11-27T04:36:56.737000000Z');
    const records = await nvdRecordsFor(server.ctx.store.db, ['CVE-2020-8167', 'CVE-2021-22903', 'CVE-2024-5732']);
    expect([...records.keys()].sort()).toEqual(['CVE-2020-8167', 'CVE-2021-22903', 'CVE-2024-5732']);
    expect(records.get('CVE-2024-5732')?.severity[0].score).toMatch(/^CVSS:4\.0\/AV:N\/AC:L\/AT:N\/PR:N\/UI:N\/VC:L\/VI:L\/VA:L\//);
    expect(await lastNvdImport(server.ctx.store.db, 'sync')).toMatchObject({ source: nvd.url, kind: 'sync', status: 'imported', added: 3, synced_until: result.syncedUntil });
  });

  it('later syncs ask only for changes since the mark, in ranges of at most 120 days, and page through them', async () => {
    // The mark is 2023-11-27 (previous test) or nothing (when ../shared is absent): either way, start from a known mark.
    nvd.cves = [];
    nvd.timestamp = '2099-06-01T00:00:00.000';
    const { ctx } = contextAt('2099-06-01T12:00:00.000Z');
    await syncNvd(ctx, fast({ full: true }));
    expect(await lastSyncedUntil(server.ctx.store.db)).toBe('2099-06-01T00:00:00.000000000Z');

    nvd.cves = [
      nvdCve('CVE-2099-0100', { lastModified: '2099-05-01T00:00:00.000', v31: [{ vector: V31 }] }), // before the mark: not asked for
      nvdCve('CVE-2099-0101', { lastModified: '2099-07-01T00:00:00.000', v31: [{ vector: V31 }], cwes: ['CWE-22'] }),
      nvdCve('CVE-2099-0102', { lastModified: '2099-08-15T00:00:00.000' }),
      nvdCve('CVE-2099-0103', { lastModified: '2099-09-20T00:00:00.000' }),
      nvdCve('CVE-2099-0104', { lastModified: '2099-12-01T00:00:00.000' }),
      nvdCve('CVE-2099-0105', { lastModified: '2100-02-01T00:00:00.000' }),
    ];
    nvd.timestamp = '2100-03-27T23:59:59.000';
    nvd.requests.length = 0;
    const later = contextAt('2100-03-28T00:00:00.000Z').ctx; // 300 days after the mark
    const result = await syncNvd(later, fast({ resultsPerPage: 2 }));
    const asked = nvd.requests.map((r) => r.params);
    expect(asked).toEqual([
      { lastModStartDate: '2099-06-01T00:00:00.000+00:00', lastModEndDate: '2099-09-29T00:00:00.000+00:00', resultsPerPage: '2', startIndex: '0' },
      { lastModStartDate: '2099-06-01T00:00:00.000+00:00', lastModEndDate: '2099-09-29T00:00:00.000+00:00', resultsPerPage: '2', startIndex: '2' },
      { lastModStartDate: '2099-09-29T00:00:00.000+00:00', lastModEndDate: '2100-01-27T00:00:00.000+00:00', resultsPerPage: '2', startIndex: '0' },
      { lastModStartDate: '2100-01-27T00:00:00.000+00:00', lastModEndDate: '2100-03-28T00:00:00.000+00:00', resultsPerPage: '2', startIndex: '0' },
    ]);
    // On the wire the offset's plus sign is encoded, as NVD's documentation writes it.
    expect(nvd.requests[0].headers.apikey).toBeUndefined();
    expect(result).toMatchObject({ full: false, pages: 4, summary: { records: 5, added: 5 }, syncedUntil: '2100-03-27T23:59:59.000000000Z' });
    expect((await nvdRecordsFor(server.ctx.store.db, ['CVE-2099-0100', 'CVE-2099-0101'])).size).toBe(1);

    // Nothing changed since: one request, one empty page, nothing written.
    nvd.requests.length = 0;
    const again = await syncNvd(contextAt('2100-03-28T01:00:00.000Z').ctx, fast());
    expect(nvd.requests.map((r) => r.params.lastModStartDate)).toEqual(['2100-03-27T23:59:59.000+00:00']);
    expect(again.summary).toMatchObject({ records: 0, added: 0, updated: 0 });
  });

  it('answers of 429, 503 and 403 are tried again with back-off; requests are spaced by the configured delay', async () => {
    nvd.cves = [nvdCve('CVE-2099-0200', { lastModified: '2100-03-28T00:30:00.000' })];
    nvd.statuses = [429, 503, 403];
    // A clock that moves only when the sync waits, read by the stand-in too: the gaps it sees are
    // the waits the sync chose, whatever else the machine is doing.
    let t = 1_000_000;
    const clock = {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
    };
    nvd.now = clock.now;
    try {
      const result = await syncNvd(contextAt('2100-03-28T02:00:00.000Z').ctx, fast({ requestDelayMs: 40, maxRetries: 3, clock }));
      expect(result).toMatchObject({ requests: 4, summary: { added: 1 } });
    } finally {
      nvd.now = () => Date.now();
    }
    const gaps = nvd.requests.slice(1).map((r, i) => r.at - nvd.requests[i].at);
    // Each request waits out the delay since the one before (the back-offs of 1, 2 and 4 ms fall within it).
    expect(gaps).toEqual([40, 40, 40]);
  });

  it('a failing page keeps the previous data, logs the failure and leaves the mark where it was, so the next sync asks again', async () => {
    const before = await cveRows();
    const mark = await lastSyncedUntil(server.ctx.store.db);
    nvd.cves = Array.from({ length: 5 }, (_, i) => nvdCve(`CVE-2099-03${String(i).padStart(2, '0')}`, { lastModified: '2100-03-28T03:00:00.000' }));
    const cases: [() => void, RegExp][] = [
      [() => nvd.statuses.push(0, 500), /answered 500 Internal Server Error: stand-in answers 500/], // page 1 served, page 2 a 500
      [() => (nvd.brokenAt = 2), /broke off after \d+ bytes .*\(after 2 tries\)/],
      [() => (nvd.recorded = new Map([[4, Buffer.from('<html>Service Unavailable</html>')]])), /a page is broken: .* is not valid JSON/],
      [() => nvd.statuses.push(429, 429, 429), /answered 429 Too Many Requests.*\(after 2 tries\)/],
    ];
    // The sync's working folders go under a TMPDIR of this test's own, so that other processes'
    // temporary folders (other test files, other runs on the machine) cannot change what is left.
    const privateTmp = mkdtempSync(join(tmpdir(), 'tollgate-nvd-sync-test-'));
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      for (const [arrange, message] of cases) {
        nvd.statuses = [];
        nvd.brokenAt = undefined;
        nvd.recorded = undefined;
        arrange();
        const error = await syncNvd(contextAt('2100-03-28T04:00:00.000Z').ctx, fast({ resultsPerPage: 2, maxRetries: 1, apiKey: KEY })).then(
          () => undefined,
          (err: Error) => err,
        );
        expect(error?.message).toMatch(/^NVD sync failed: /);
        expect(error?.message).toMatch(message);
        expect(error?.message).toMatch(/the NVD data is unchanged$/);
        expect(error?.message).not.toContain(KEY);
        expect(await cveRows()).toEqual(before);
        expect(await lastSyncedUntil(server.ctx.store.db)).toBe(mark);
        const logged = await lastNvdImport(server.ctx.store.db, 'sync');
        expect(logged).toMatchObject({ status: 'rejected', synced_until: null });
        expect(logged?.detail).not.toContain(KEY);
      }
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    }
    expect(readdirSync(privateTmp)).toEqual([]);
    rmSync(privateTmp, { recursive: true, force: true });
    // The next sync asks from the same mark and gets everything.
    nvd.statuses = [];
    nvd.requests.length = 0;
    const ok = await syncNvd(contextAt('2100-03-28T05:00:00.000Z').ctx, fast({ resultsPerPage: 2 }));
    expect(nvd.requests[0].params.lastModStartDate).toBe(`${mark!.slice(0, 23)}+00:00`);
    expect(ok.summary.added).toBe(5);
  });

  it('the scheduled run logs one line, without the key, and never throws; the schedule is off at 0 hours', async () => {
    nvd.cves = [nvdCve('CVE-2099-0400', { lastModified: '2100-03-28T06:00:00.000' })];
    nvd.timestamp = '2100-03-28T06:30:00.000';
    const good = contextAt('2100-03-28T07:00:00.000Z', { apiKey: KEY, syncIntervalHours: 6 });
    await runScheduledNvdSync(good.ctx);
    expect(good.messages()).toEqual(['NVD sync: 1 CVEs fetched in 1 pages, 1 added, 0 updated; changes up to 2100-03-28T06:30:00.000000000Z']);
    expect(nvd.requests.at(-1)?.headers.apikey).toBe(KEY);

    nvd.statuses = [404];
    const bad = contextAt('2100-03-28T08:00:00.000Z', { apiKey: KEY, syncIntervalHours: 6 });
    await runScheduledNvdSync(bad.ctx);
    expect(bad.messages()).toEqual([expect.stringMatching(/^NVD sync failed: .* answered 404 Not Found: stand-in answers 404; the NVD data is unchanged; next try in 6 h$/)]);
    expect(bad.messages().join('')).not.toContain(KEY);
    expect(await runDueSchedules(contextAt('2100-03-28T08:00:00.000Z', { syncIntervalHours: 0 }).ctx)).toEqual([]);
  });

  it('the schedule runs after its first delay, then stops; it says whether a key is used, never which', async () => {
    const { ctx, messages } = contextAt('2100-03-28T09:00:00.000Z', { apiKey: KEY, syncIntervalHours: 24 });
    const served = nvd.requests.length;
    expect(await runDueSchedules(ctx)).toEqual(['nvd.sync']);
    expect(messages()[0]).toBe(`NVD sync every 24 h from ${nvd.url} (with an API key)`);
    expect(messages()[1]).toMatch(/^NVD sync: \d+ CVEs fetched/);
    expect(nvd.requests.length).toBeGreaterThan(served);
    expect(messages().join('')).not.toContain(KEY);
    expect(await nvdCounts(server.ctx.store.db)).toMatchObject({ rejected: 0 });
  });
});
