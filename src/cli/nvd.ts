/**
 * The NVD parts of `tollgate vulndb`: importing NVD files (recognised by content), `sync --nvd`
 * against the CVE API, and the NVD lines of `status`. Summary lines follow the OSV import's.
 */
import type { NvdImportSummary } from '../intel/nvd/importer.js';
import { nvdSyncSettings } from '../intel/nvd/schedule.js';
import { lastNvdImport, nvdCounts } from '../intel/nvd/store.js';
import { syncNvd } from '../intel/nvd/sync.js';
import type { AppContext } from '../core/context.js';
import { tracker } from './progress.js';

export function printNvdSummary(s: NvdImportSummary): void {
  console.log(
    `${s.source}: ${s.records} NVD CVE records — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ` +
      `${s.withdrawn} withdrawn (Rejected by NVD), ${s.rejected.length} rejected (${(s.durationMs / 1000).toFixed(1)} s)`,
  );
  const shown = s.rejected.slice(0, 20);
  for (const r of shown) console.log(`  rejected ${r.id ?? r.entry}: ${r.reason}`);
  if (s.rejected.length > shown.length) console.log(`  … and ${s.rejected.length - shown.length} more rejected`);
  if (s.invalidVectors > 0) console.log(`  ${s.invalidVectors} CVSS vectors NVD published were not valid and were left out`);
}

/** `vulndb sync --nvd`: fetch (progress bar), import (progress bar), one summary line. Throws when it fails. */
export async function syncNvdCommand(ctx: AppContext, options: { full?: boolean }): Promise<void> {
  const fetching = tracker('NVD fetch', 'records');
  const importing = tracker('NVD import', 'records');
  try {
    const result = await syncNvd(ctx, {
      ...nvdSyncSettings(ctx),
      full: options.full,
      onFetchProgress: (fetched, total) => fetching.update(fetched, total),
      onImportProgress: (done, total) => {
        fetching.stop();
        importing.update(done, total);
      },
    });
    fetching.stop();
    importing.stop();
    const what = result.full ? 'every CVE' : `changes from ${result.ranges[0]?.start ?? '?'}`;
    console.log(`NVD sync: ${what}, ${result.pages} pages; changes up to ${result.syncedUntil} are in`);
    printNvdSummary(result.summary);
  } finally {
    fetching.stop();
    importing.stop();
  }
}

export async function printNvdStatus(ctx: AppContext): Promise<void> {
  const db = ctx.store.db;
  const c = await nvdCounts(db);
  if (c.cves === 0) console.log('NVD: no CVE records imported yet');
  else console.log(`NVD: ${c.cves} CVE records (${c.rejected} rejected by NVD), ${c.scored} with a CVSS vector`);
  const sync = await lastNvdImport(db, 'sync');
  const good = sync?.status === 'imported' ? sync : await lastNvdImport(db, 'sync', 'imported');
  if (good) console.log(`NVD last sync: ${good.finished_at}, changes up to ${good.synced_until}: ${good.added} added, ${good.updated} updated`);
  if (sync && sync.status !== 'imported') {
    const error = (JSON.parse(sync.detail ?? '{}') as { error?: string }).error ?? 'unknown error';
    console.log(`NVD sync failed at ${sync.finished_at}: ${error}`);
  }
  if (!sync) console.log('NVD: never synced');
  const file = await lastNvdImport(db, 'import', 'imported');
  if (file) console.log(`NVD last file import: ${file.source} at ${file.finished_at}`);
}
