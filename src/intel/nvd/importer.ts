/**
 * Imports NVD CVE JSON 2.0 data: an API response page, a yearly or modified feed file (plain or
 * gzipped), a single CVE object file, or a directory of such files (walked recursively, like the
 * per-CVE mirrors lay them out).
 *
 * As the OSV import: one transaction per import, CVEs written in batches of 500 inside it, and
 * anything that makes the source untrustworthy (not NVD's format, a JSON syntax error, a truncated
 * or corrupt gzip) throws RejectedSourceError, which rolls everything back and leaves the store as
 * it was; the refusal is logged in `nvd_imports`. A CVE object that cannot be read (no CVE id, no
 * lastModified) is refused alone and listed. A CVE is rewritten only when its lastModified is
 * later than the stored one.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { AppContext } from '../../core/context.js';
import { newId } from '../../core/ids.js';
import { RejectedSourceError } from '../advisories/source-types.js';
import { type InvalidVector, type NvdCve, REJECTED_STATUS, parseCve } from './cve.js';
import { type NvdEnvelope, readNvdDocument } from './document.js';
import { recordNvdImport, storedLastModified, writeCves } from './store.js';

export interface RejectedCve {
  /** where it is: `<file>#<index>` */
  entry: string;
  id?: string;
  reason: string;
}

export interface NvdImportSummary {
  source: string;
  /** CVE objects read */
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** of the added and updated CVEs, those NVD marks Rejected (kept, but they score nothing) */
  withdrawn: number;
  rejected: RejectedCve[];
  /** CVSS vectors NVD published that are not valid, left out */
  invalidVectors: number;
  durationMs: number;
}

export interface NvdImportOptions {
  /** name in messages and in the import log; default the file's name */
  label?: string;
  /** called as CVEs are read, and once at the start with done = 0; total when known */
  onProgress?: (done: number, total: number | undefined) => void;
  /** CVEs written per batch */
  batchSize?: number;
}

export interface NvdFile {
  path: string;
  /** its name in messages */
  name: string;
}

interface FilesImport extends NvdImportOptions {
  label: string;
  kind: 'import' | 'sync';
  /** how many CVEs the files hold, when the caller knows */
  total?: number;
  /** syncs: the high-water mark logged with the import */
  syncedUntil?: string;
}

const MAX_LOGGED = 100;

/** The `*.json` and `*.json.gz` files under a directory, in name order; symbolic links are not followed. */
async function listFiles(root: string): Promise<NvdFile[]> {
  const files: NvdFile[] = [];
  const folders = [root];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    for (const dirent of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, dirent.name);
      if (dirent.isDirectory()) folders.push(path);
      else if (dirent.isFile() && /\.json(\.gz)?$/i.test(dirent.name)) files.push({ path, name: relative(root, path) });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The files a path names: itself, or the JSON files under it. */
export async function nvdFilesAt(path: string, label: string): Promise<NvdFile[]> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (err) {
    throw new RejectedSourceError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!info.isDirectory()) return [{ path, name: label }];
  const files = await listFiles(path);
  if (files.length === 0) throw new RejectedSourceError(`${label}: the directory holds no .json or .json.gz files; nothing was imported`);
  return files;
}

/** Imports one NVD file or directory. */
export async function importNvdSource(ctx: AppContext, path: string, options: NvdImportOptions = {}): Promise<NvdImportSummary> {
  const label = options.label ?? (basename(path) || path);
  let files: NvdFile[];
  try {
    files = await nvdFilesAt(path, label);
  } catch (err) {
    if (err instanceof RejectedSourceError) await logRejected(ctx, label, 'import', ctx.now().toISOString(), err);
    throw err;
  }
  return importNvdFiles(ctx, files, { ...options, label, kind: 'import', total: files.length > 1 ? files.length : undefined });
}

async function logRejected(ctx: AppContext, source: string, kind: 'import' | 'sync', startedAt: string, err: Error): Promise<void> {
  await recordNvdImport(ctx.store.db, {
    id: newId(),
    source,
    kind,
    status: 'rejected',
    started_at: startedAt,
    finished_at: ctx.now().toISOString(),
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    detail: JSON.stringify({ error: err.message }),
    synced_until: null,
  }).catch((logErr) => ctx.log.warn({ err: logErr }, 'could not log a rejected NVD import'));
}

/** Imports files as one source, in one transaction (a sync's pages, a directory's files). */
export async function importNvdFiles(ctx: AppContext, files: NvdFile[], options: FilesImport): Promise<NvdImportSummary> {
  const started = Date.now();
  const startedAt = ctx.now().toISOString();
  const batchSize = options.batchSize ?? 500;
  try {
    const summary = await ctx.store.db.transaction().execute(async (trx) => {
      const result: NvdImportSummary = {
        source: options.label,
        records: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        withdrawn: 0,
        rejected: [],
        invalidVectors: 0,
        durationMs: 0,
      };
      const invalid: InvalidVector[] = [];
      // Keyed by id: a source that holds one CVE twice keeps the later lastModified.
      let batch = new Map<string, NvdCve>();
      const flush = async () => {
        if (batch.size === 0) return;
        const stored = await storedLastModified(trx, [...batch.keys()]);
        const fresh: NvdCve[] = [];
        for (const cve of batch.values()) {
          const before = stored.get(cve.id);
          if (before !== undefined && cve.lastModified <= before) {
            result.unchanged++;
            continue;
          }
          if (before === undefined) result.added++;
          else result.updated++;
          if (cve.status === REJECTED_STATUS) result.withdrawn++;
          fresh.push(cve);
        }
        await writeCves(trx, fresh, startedAt);
        batch = new Map();
      };

      let total = options.total;
      options.onProgress?.(0, total);
      for (const file of files) {
        const envelope: NvdEnvelope = {};
        for await (const item of readNvdDocument(file.path, file.name, envelope)) {
          result.records++;
          const parsed = parseCve(item.cve);
          if (!parsed.ok) {
            result.rejected.push({ entry: item.entry, id: parsed.id, reason: item.cve === undefined ? 'no "cve" object' : parsed.reason });
          } else {
            result.invalidVectors += parsed.invalidVectors.length;
            if (invalid.length < MAX_LOGGED) invalid.push(...parsed.invalidVectors.slice(0, MAX_LOGGED - invalid.length));
            const same = batch.get(parsed.cve.id);
            if (!same || parsed.cve.lastModified > same.lastModified) batch.set(parsed.cve.id, parsed.cve);
            if (batch.size >= batchSize) await flush();
          }
          if (files.length === 1 && options.total === undefined) total = envelope.resultsPerPage ?? envelope.totalResults;
          if (total !== undefined && result.records > total) total = undefined;
          options.onProgress?.(result.records, total);
        }
      }
      await flush();
      result.durationMs = Date.now() - started;
      await recordNvdImport(trx, {
        id: newId(),
        source: options.label,
        kind: options.kind,
        status: 'imported',
        started_at: startedAt,
        finished_at: ctx.now().toISOString(),
        added: result.added,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected.length,
        detail: JSON.stringify({ rejected: result.rejected.slice(0, MAX_LOGGED), invalidVectors: invalid }),
        synced_until: options.syncedUntil ?? null,
      });
      return result;
    });
    return summary;
  } catch (err) {
    // Kept outside the rolled-back transaction, so the log says what was refused and why.
    if (err instanceof RejectedSourceError) await logRejected(ctx, options.label, options.kind, startedAt, err);
    throw err;
  }
}
