import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { bestCvssScore, type SeverityEntry } from '../../../src/intel/severity/best-score.js';
import { normalizeCweIds } from '../../../src/intel/severity/cwe.js';

const ZIPS = ['PyPI-all.zip', 'Go-all.zip'].map((name) => fileURLToPath(new URL(`../../../../shared/osv/${name}`, import.meta.url)));
const present = ZIPS.filter((path) => existsSync(path));
if (present.length < ZIPS.length) console.warn(`notice: ${ZIPS.filter((p) => !present.includes(p)).join(', ')} absent; those OSV records are skipped`);

interface OsvRecord {
  id: string;
  severity?: SeverityEntry[];
  affected?: Array<{ severity?: SeverityEntry[] }>;
  database_specific?: { cwe_ids?: string[] };
}

/** Every JSON record in an OSV export zip. */
function readRecords(path: string): Promise<OsvRecord[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const records: OsvRecord[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(records));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            records.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OsvRecord);
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

describe.skipIf(present.length === 0)('severity in real OSV records', () => {
  it('scores every CVSS vector without error', async () => {
    let vectors = 0;
    let records = 0;
    const failures: string[] = [];
    const versions: Record<string, number> = {};
    for (const path of present) {
      for (const record of await readRecords(path)) {
        records++;
        const entries = [...(record.severity ?? []), ...(record.affected ?? []).flatMap((a) => a.severity ?? [])];
        const result = bestCvssScore(entries);
        vectors += result.scored.length + result.skipped.length;
        for (const s of result.scored) versions[s.version] = (versions[s.version] ?? 0) + 1;
        for (const s of result.skipped) failures.push(`${record.id}: ${s.entry.score} (${s.reason})`);
        if (entries.length) expect(result.best, record.id).toBeDefined();
        normalizeCweIds(record.database_specific?.cwe_ids);
      }
    }
    console.log(`OSV severity: ${records} records, ${vectors} severity vectors scored (${JSON.stringify(versions)}), ${failures.length} failed`);
    expect(records).toBeGreaterThan(1000);
    expect(vectors).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 120_000);
});
