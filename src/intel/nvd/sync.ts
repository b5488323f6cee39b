/**
 * Syncs the NVD CVE API 2.0 into the store. The first sync fetches every CVE; later ones only
 * those modified since the last successful sync (lastModStartDate / lastModEndDate, in ranges of
 * at most 120 days: NVD refuses longer ones). Pages of 2,000 are fetched to a temporary folder
 * and checked as they come, then imported together in one transaction: a failure anywhere (NVD
 * unreachable, an error status after the retries, a broken page) keeps the previous data, logs a
 * rejected row in `nvd_imports` and records no new high-water mark, so the next sync asks again.
 * Collecting first keeps the write transaction short: a full sync spends most of its time (12+
 * minutes without an API key) waiting between requests, which must not hold the database.
 *
 * High-water mark: NVD's own clock, the `timestamp` of the sync's first answer (capped at the
 * end of the last range asked for). Changes NVD makes while the pages are fetched may be missed
 * by this sync, but they are later than the mark, so the next one fetches them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../core/context.js';
import { newId } from '../../core/ids.js';
import { RejectedSourceError } from '../advisories/source-types.js';
import { canonicalTime } from '../advisories/osv.js';
import { type Clock, NvdApiError, NvdClient, shownUrl } from './api-client.js';
import { nvdTime } from './cve.js';
import { type NvdEnvelope, readNvdDocument } from './document.js';
import { type NvdFile, type NvdImportSummary, importNvdFiles } from './importer.js';
import { lastSyncedUntil, recordNvdImport } from './store.js';

/** The most CVEs one API page may hold. */
const RESULTS_PER_PAGE = 2000;
/** NVD's longest lastModified range. */
const MAX_RANGE_DAYS = 120;
/** NVD's advice: 6 s between requests without a key (5 per 30 s), 0.6 s with one (50 per 30 s). */
const DEFAULT_DELAY_MS = { withoutKey: 6000, withKey: 600 };

export interface NvdSyncOptions {
  apiUrl: string;
  apiKey?: string;
  /** time between requests; default by whether there is a key */
  requestDelayMs?: number;
  /** first back-off after a 403/429/503; doubles (default 30 s: NVD's rate-limit window) */
  retryDelayMs?: number;
  /** tries after the first (default 4) */
  maxRetries?: number;
  resultsPerPage?: number;
  /** fetch every CVE, not only the changes since the last sync */
  full?: boolean;
  idleTimeoutMs?: number;
  /** the clock requests are spaced by (tests give their own) */
  clock?: Clock;
  onFetchProgress?: (fetched: number, total: number | undefined) => void;
  onImportProgress?: (done: number, total: number | undefined) => void;
}

export interface NvdSyncResult {
  /** the API URL */
  source: string;
  /** whether every CVE was asked for (first sync, or `full`) */
  full: boolean;
  /** the lastModified ranges asked for (incremental syncs) */
  ranges: { start: string; end: string }[];
  pages: number;
  /** requests sent, retries included */
  requests: number;
  summary: NvdImportSummary;
  /** the new high-water mark */
  syncedUntil: string;
}

export class NvdSyncError extends Error {}

const DAY_MS = 86_400_000;

/** The API's date form: `2021-08-04T13:00:00.000+00:00` (URL-encoded as %2B00:00). */
function apiDate(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '+00:00');
}

function msOf(canonical: string): number {
  return Date.parse(`${canonical.slice(0, 23)}Z`);
}

/** [start, end] cut into consecutive ranges of at most MAX_RANGE_DAYS. */
export function lastModifiedRanges(startMs: number, endMs: number, maxDays = MAX_RANGE_DAYS): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let start = startMs; start < endMs; start += maxDays * DAY_MS) out.push({ start, end: Math.min(start + maxDays * DAY_MS, endMs) });
  return out.length ? out : [{ start: startMs, end: Math.max(startMs, endMs) }];
}

/** Reads a fetched page through: how many CVEs it holds and its envelope; throws when it is not a page. */
async function checkPage(file: NvdFile): Promise<{ count: number; envelope: NvdEnvelope }> {
  const envelope: NvdEnvelope = {};
  let count = 0;
  for await (const _ of readNvdDocument(file.path, file.name, envelope)) count++;
  if (envelope.kind !== 'page' || typeof envelope.totalResults !== 'number') {
    throw new NvdSyncError(`${file.name} is not a CVE API page (no "totalResults")`);
  }
  return { count, envelope };
}

export async function syncNvd(ctx: AppContext, options: NvdSyncOptions): Promise<NvdSyncResult> {
  const source = shownUrl(options.apiUrl);
  const startedAt = ctx.now();
  const client = new NvdClient({
    apiUrl: options.apiUrl,
    apiKey: options.apiKey || undefined,
    requestDelayMs: options.requestDelayMs ?? (options.apiKey ? DEFAULT_DELAY_MS.withKey : DEFAULT_DELAY_MS.withoutKey),
    retryDelayMs: options.retryDelayMs ?? 30_000,
    maxRetries: options.maxRetries ?? 4,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    maxPageBytes: 1024 * 1024 * 1024,
    clock: options.clock,
  });
  const perPage = options.resultsPerPage ?? RESULTS_PER_PAGE;
  const since = options.full ? undefined : await lastSyncedUntil(ctx.store.db);
  const endMs = startedAt.getTime();
  const ranges = since === undefined ? [undefined] : lastModifiedRanges(msOf(since), endMs);
  const folder = await mkdtemp(join(tmpdir(), 'tollgate-nvd-'));
  const files: NvdFile[] = [];
  let firstTimestamp: string | undefined;
  try {
    let fetched = 0;
    let before = 0;
    try {
      for (const range of ranges) {
        const dates: Record<string, string> = range ? { lastModStartDate: apiDate(range.start), lastModEndDate: apiDate(range.end) } : {};
        for (let startIndex = 0; ; ) {
          const file = { path: join(folder, `page-${String(files.length + 1).padStart(6, '0')}.json.gz`), name: '' };
          const params = { ...dates, resultsPerPage: perPage, startIndex };
          file.name = `${source} page ${files.length + 1} (startIndex ${startIndex})`;
          await client.fetchPage(params, file.path);
          const { count, envelope } = await checkPage(file);
          files.push(file);
          firstTimestamp ??= envelope.timestamp;
          const total = envelope.totalResults!;
          fetched += count;
          startIndex += count;
          options.onFetchProgress?.(fetched, before + total);
          if (startIndex >= total) {
            before += total;
            break;
          }
          if (count === 0) throw new NvdSyncError(`${source} answered an empty page at startIndex ${startIndex} of ${total} results`);
        }
      }
    } catch (err) {
      const message = err instanceof RejectedSourceError ? `a page is broken: ${err.message}` : (err as Error).message;
      const error = new NvdSyncError(`NVD sync failed: ${message}; the NVD data is unchanged`);
      await recordNvdImport(ctx.store.db, {
        id: newId(),
        source,
        kind: 'sync',
        status: 'rejected',
        started_at: startedAt.toISOString(),
        finished_at: ctx.now().toISOString(),
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        detail: JSON.stringify({ error: error.message, pagesFetched: files.length }),
        synced_until: null,
      }).catch((logErr) => ctx.log.warn({ err: logErr }, 'could not log a failed NVD sync'));
      if (err instanceof NvdApiError || err instanceof NvdSyncError || err instanceof RejectedSourceError) throw error;
      throw err;
    }
    const started = canonicalTime(startedAt.toISOString())!;
    const nvdClock = nvdTime(firstTimestamp);
    const syncedUntil = nvdClock !== undefined && nvdClock < started ? nvdClock : started;
    const summary = await importNvdFiles(ctx, files, {
      label: source,
      kind: 'sync',
      total: fetched,
      syncedUntil,
      onProgress: options.onImportProgress,
    });
    return {
      source,
      full: since === undefined,
      ranges: ranges.flatMap((r) => (r ? [{ start: apiDate(r.start), end: apiDate(r.end) }] : [])),
      pages: files.length,
      requests: client.requests,
      summary,
      syncedUntil,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
