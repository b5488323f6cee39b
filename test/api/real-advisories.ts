import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { DEFAULT_LIMITS } from '../../src/intel/advisories/source.js';
import { openZipSource } from '../../src/intel/advisories/zip-source.js';
import type { TestServer } from '../helpers/server.js';
import { sharedOsvZip, tempDir } from '../intel/advisories/helpers.js';

/** The real OSV records the details tests read, by the export they come from. */
export const REAL_RECORDS = {
  PyPI: [
    // requests: CVE-2023-32681 (proxy credentials leak, fixed in 2.31.0) and older ones, all fixed by 2.20.0
    'PYSEC-2023-74',
    'PYSEC-2014-13',
    'PYSEC-2014-14',
    'PYSEC-2015-17',
    'PYSEC-2018-28',
    // sentry: CVE-2023-36826, with a CVSS 3.1 vector
    'PYSEC-2023-130',
    // aiohttp: CVE-2022-33124, withdrawn by its database
    'PYSEC-2022-43059',
  ],
  Go: ['GO-2022-0969'],
} as const;

/**
 * Imports REAL_RECORDS from ../shared/osv into the test server's store: the records are copied out
 * of the exports into a temporary folder, which is imported like any OSV source. False (with a
 * printed notice) when the exports are absent.
 */
export async function importRealAdvisories(server: TestServer): Promise<boolean> {
  const dir = tempDir('tollgate-details-');
  for (const [ecosystem, ids] of Object.entries(REAL_RECORDS) as ['PyPI' | 'Go', readonly string[]][]) {
    const zip = sharedOsvZip(ecosystem);
    if (!zip) {
      rmSync(dir, { recursive: true, force: true });
      return false;
    }
    const wanted = new Set(ids.map((id) => `${id}.json`));
    const source = await openZipSource(zip, `${ecosystem}-all.zip`, DEFAULT_LIMITS);
    for await (const entry of source.entries()) {
      if (!wanted.delete(entry.name)) continue;
      writeFileSync(join(dir, entry.name), entry.text);
      if (wanted.size === 0) break;
    }
    if (wanted.size) throw new Error(`${ecosystem}-all.zip lacks ${[...wanted].join(', ')}`);
  }
  const summary = await importOsvSource(server.ctx, dir).finally(() => rmSync(dir, { recursive: true, force: true }));
  if (summary.rejected.length) throw new Error(`rejected: ${JSON.stringify(summary.rejected)}`);
  return true;
}
