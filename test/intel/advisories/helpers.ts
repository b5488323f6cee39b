import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OsvRecord } from '../../../src/intel/advisories/osv.js';

/** The shared real OSV exports, or undefined (with a printed notice) when they are not there. */
export function sharedOsvZip(ecosystem: 'PyPI' | 'Go'): string | undefined {
  const path = fileURLToPath(new URL(`../../../../shared/osv/${ecosystem}-all.zip`, import.meta.url));
  if (existsSync(path)) return path;
  console.warn(`notice: ${path} is absent; skipping the tests that read the real ${ecosystem} advisories`);
  return undefined;
}

export function tempDir(prefix = 'tollgate-osv-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An OSV record with sensible defaults; `affected` entries default to one PyPI package. */
export function osvRecord(id: string, fields: Partial<OsvRecord> = {}): OsvRecord {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2024-01-01T00:00:00Z',
    published: '2023-12-01T00:00:00Z',
    summary: `summary of ${id}`,
    affected: [],
    ...fields,
  };
}

export function writeRecords(dir: string, records: OsvRecord[]): string {
  for (const r of records) writeFileSync(join(dir, `${r.id}.json`), JSON.stringify(r, null, 1));
  return dir;
}
