import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';

interface Record {
  id: string;
  affected?: Array<{ package?: { ecosystem: string; name: string } }>;
}

/**
 * Writes the records of a shared OSV export that affect the named packages into a new temporary
 * directory (one JSON file each), so that a test imports a few records instead of thousands.
 */
export async function extractOsvRecords(zipPath: string, packages: readonly string[]): Promise<{ dir: string; ids: string[] }> {
  const wanted = new Set(packages.map((p) => p.toLowerCase()));
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-eval-osv-'));
  const ids: string[] = [];
  await new Promise<void>((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const record = JSON.parse(text) as Record;
            if (record.affected?.some((a) => a.package && wanted.has(a.package.name.toLowerCase()))) {
              writeFileSync(join(dir, `${record.id}.json`), text);
              ids.push(record.id);
            }
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  });
  return { dir, ids: ids.sort() };
}
