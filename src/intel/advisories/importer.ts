/**
 * Imports one OSV source (zip or directory) into the advisory store.
 *
 * The whole source is one transaction: records are parsed one at a time and written in batches
 * inside it, and anything that makes the source untrustworthy — a corrupt archive, a JSON syntax
 * error, a name that escapes the archive, a zip bomb, too many entries — throws, which rolls the
 * transaction back and leaves the store as it was. A transaction rather than a staging table and a
 * swap because it is atomic on both databases without copying the untouched records, and the
 * unchanged majority of a re-import costs only a look-up. A record that is valid JSON but not a
 * valid OSV record is rejected on its own and listed with its reason: one bad record in a database
 * of thousands should not keep the others out.
 *
 * Idempotent: a record is written only when it is new or its `modified` is later than the stored one.
 */
import { newId } from '../../core/ids.js';
import type { AppContext } from '../../core/context.js';
import { deleteAdvisories, insertAdvisories, recordImport, regroup, storedModified } from './advisory-store.js';
import { invalidateAdvisoryIndex } from './index-cache.js';
import { type Advisory, toAdvisory } from './osv.js';
import { type OsvSource, RejectedSourceError, type SourceLimits, openOsvSource } from './source.js';

export interface RejectedRecord {
  /** the entry's name in the archive or directory */
  entry: string;
  id?: string;
  reason: string;
}

export interface ImportSummary {
  source: string;
  /** records read from the source */
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** of the added and updated records, those that are withdrawn (kept, but they match nothing) */
  withdrawn: number;
  rejected: RejectedRecord[];
  /** records whose alias group changed */
  regrouped: number;
  durationMs: number;
}

export interface ImportOptions {
  limits?: SourceLimits;
  /** name in messages and in the import log; default the file's name */
  label?: string;
  /** called after each entry, and once at the start with done = 0 */
  onProgress?: (done: number, total: number) => void;
  /** records written per batch */
  batchSize?: number;
}

const MAX_LOGGED_REJECTIONS = 100;

export async function importOsvSource(ctx: AppContext, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const startedAt = ctx.now().toISOString();
  const batchSize = options.batchSize ?? 500;
  let label = options.label ?? path;
  let source: OsvSource | undefined;
  try {
    source = await openOsvSource(path, { limits: options.limits, label: options.label });
    label = source.label;
    const opened = source;
    const summary = await ctx.store.db.transaction().execute(async (trx) => {
      const result: ImportSummary = {
        source: opened.label,
        records: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        withdrawn: 0,
        rejected: [],
        regrouped: 0,
        durationMs: 0,
      };
      // Keyed by id: a source that holds one id twice keeps the later `modified`.
      let batch = new Map<string, Advisory>();
      const flush = async () => {
        if (batch.size === 0) return;
        const stored = await storedModified(trx, [...batch.keys()]);
        const fresh: Advisory[] = [];
        const replaced: string[] = [];
        for (const advisory of batch.values()) {
          const before = stored.get(advisory.id);
          if (before !== undefined && advisory.modified <= before) {
            result.unchanged++;
            continue;
          }
          if (before === undefined) result.added++;
          else {
            result.updated++;
            replaced.push(advisory.id);
          }
          if (advisory.withdrawn) result.withdrawn++;
          fresh.push(advisory);
        }
        await deleteAdvisories(trx, replaced);
        await insertAdvisories(trx, fresh, opened.label, startedAt);
        batch = new Map();
      };

      let done = 0;
      options.onProgress?.(0, opened.total);
      for await (const entry of opened.entries()) {
        done++;
        let value: unknown;
        try {
          value = JSON.parse(entry.text);
        } catch (err) {
          throw new RejectedSourceError(`${opened.label}: ${entry.name} is not valid JSON (${(err as Error).message}); nothing was imported`);
        }
        result.records++;
        const parsed = toAdvisory(value);
        if (!parsed.ok) {
          result.rejected.push({ entry: entry.name, id: parsed.id, reason: parsed.reason });
        } else {
          const same = batch.get(parsed.advisory.id);
          if (!same || parsed.advisory.modified > same.modified) batch.set(parsed.advisory.id, parsed.advisory);
          if (batch.size >= batchSize) await flush();
        }
        options.onProgress?.(done, opened.total);
      }
      await flush();
      if (result.added + result.updated > 0) result.regrouped = await regroup(trx);
      result.durationMs = Date.now() - started;
      await recordImport(trx, {
        id: newId(),
        source: opened.label,
        status: 'imported',
        started_at: startedAt,
        finished_at: ctx.now().toISOString(),
        added: result.added,
        updated: result.updated,
        unchanged: result.unchanged,
        withdrawn: result.withdrawn,
        rejected: result.rejected.length,
        detail: JSON.stringify({ rejected: result.rejected.slice(0, MAX_LOGGED_REJECTIONS) }),
      });
      return result;
    });
    if (summary.added + summary.updated > 0) invalidateAdvisoryIndex(ctx);
    return summary;
  } catch (err) {
    if (err instanceof RejectedSourceError) {
      // Kept outside the rolled-back transaction, so the log says what was refused and why.
      await recordImport(ctx.store.db, {
        id: newId(),
        source: label,
        status: 'rejected',
        started_at: startedAt,
        finished_at: ctx.now().toISOString(),
        added: 0,
        updated: 0,
        unchanged: 0,
        withdrawn: 0,
        rejected: 0,
        detail: JSON.stringify({ error: err.message }),
      }).catch((logErr) => ctx.log.warn({ err: logErr }, 'could not log a rejected advisory import'));
    }
    throw err;
  }
}
