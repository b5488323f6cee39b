import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advisoryCounts,
  advisoryGroupByName,
  advisoryRecord,
} from '../../../src/intel/advisories/advisory-store.js';
import { advisoryIndexFor } from '../../../src/intel/advisories/index-cache.js';
import { importOsvSource } from '../../../src/intel/advisories/importer.js';
import { DEFAULT_LIMITS, RejectedSourceError } from '../../../src/intel/advisories/source.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { osvRecord, tempDir, writeRecords } from './helpers.js';
import { type ZipEntryInput, makeZip } from './zip-writer.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = tempDir();
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const flask = { ecosystem: 'PyPI', name: 'Flask' };
const pysec = osvRecord('PYSEC-2023-62', {
  aliases: ['CVE-2023-30861', 'GHSA-m2qf-hxjv-5gpq'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
  affected: [{ package: flask, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.5' }] }], versions: ['2.2.4'] }],
});
const ghsa = osvRecord('GHSA-m2qf-hxjv-5gpq', {
  modified: '2024-02-01T10:00:00.5Z',
  aliases: ['CVE-2023-30861'],
  database_specific: { cwe_ids: ['CWE-539'], severity: 'HIGH' },
  affected: [
    {
      package: flask,
      severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' }],
      versions: ['2.2.4', '2.3.1'],
    },
  ],
});
const withdrawn = osvRecord('PYSEC-2099-1', {
  withdrawn: '2024-03-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, versions: ['2.0.0'] }],
});
const noModified = { id: 'PYSEC-2099-2', affected: [] };

async function snapshot() {
  const db = server.ctx.store.db;
  const imports = await db.selectFrom('advisory_imports').select(['status']).execute();
  return {
    counts: await advisoryCounts(db),
    rows: await db.selectFrom('advisories').select(['id', 'modified', 'group_id', 'withdrawn']).orderBy('id').execute(),
    imported: imports.filter((i) => i.status === 'imported').length,
  };
}

describe('importing OSV records', () => {
  it('imports a directory, keeps aliases, CWE ids and severity vectors, and lists rejected records with reasons', async () => {
    const folder = join(dir, 'first');
    rmSync(folder, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(folder);
    writeRecords(folder, [pysec, ghsa, withdrawn]);
    writeFileSync(join(folder, 'PYSEC-2099-2.json'), JSON.stringify(noModified));
    writeFileSync(join(folder, 'README.md'), 'not a record');
    const progress: number[] = [];
    const summary = await importOsvSource(server.ctx, folder, { onProgress: (done) => progress.push(done) });
    expect(summary).toMatchObject({ records: 4, added: 3, updated: 0, unchanged: 0, withdrawn: 1 });
    expect(summary.rejected).toEqual([{ entry: 'PYSEC-2099-2.json', id: 'PYSEC-2099-2', reason: '"modified" is missing' }]);
    expect(progress).toEqual([0, 1, 2, 3, 4]);

    const group = await advisoryGroupByName(server.ctx.store.db, 'CVE-2023-30861');
    expect(group.map((g) => [g.id, g.group_id])).toEqual([
      ['GHSA-m2qf-hxjv-5gpq', 'CVE-2023-30861'],
      ['PYSEC-2023-62', 'CVE-2023-30861'],
    ]);
    const byGhsa = await advisoryGroupByName(server.ctx.store.db, 'GHSA-m2qf-hxjv-5gpq');
    expect(byGhsa.map((g) => g.id)).toEqual(['GHSA-m2qf-hxjv-5gpq', 'PYSEC-2023-62']);
    const stored = group.find((g) => g.id === 'GHSA-m2qf-hxjv-5gpq')!;
    expect(stored.cweIds).toEqual(['CWE-539']);
    expect(stored.severity).toEqual([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N' }]);
    expect(stored.modified).toBe('2024-02-01T10:00:00.500000000Z');
    expect(group.find((g) => g.id === 'PYSEC-2023-62')!.severity[0].type).toBe('CVSS_V3');
    expect(await advisoryRecord(server.ctx.store.db, 'PYSEC-2023-62')).toMatchObject({ id: 'PYSEC-2023-62', aliases: pysec.aliases });

    const index = await advisoryIndexFor(server.ctx);
    const [flask224, flask231, requests] = index.match([
      { ...flask, version: '2.2.4' },
      { ecosystem: 'PyPI', name: 'flask', version: '2.3.1' },
      { ecosystem: 'PyPI', name: 'requests', version: '2.0.0' },
    ]);
    expect(flask224.map((f) => f.vulnerability.id)).toEqual(['CVE-2023-30861']);
    expect(flask224[0].vulnerability.aliases).toEqual(['GHSA-m2qf-hxjv-5gpq', 'PYSEC-2023-62']);
    expect(flask224[0].vulnerability.cweIds).toEqual(['CWE-539']);
    expect(flask231[0].matchedBy).toEqual(['GHSA-m2qf-hxjv-5gpq']);
    expect(requests).toEqual([]); // withdrawn
  });

  it('is idempotent: the same or an older modified changes nothing, a newer one replaces the record', async () => {
    const before = await snapshot();
    const same = makeZip([pysec, ghsa, withdrawn].map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })));
    writeFileSync(join(dir, 'same.zip'), same);
    const again = await importOsvSource(server.ctx, join(dir, 'same.zip'));
    expect(again).toMatchObject({ records: 3, added: 0, updated: 0, unchanged: 3, withdrawn: 0, regrouped: 0 });
    const older = { ...pysec, modified: '2020-01-01T00:00:00Z', aliases: [] };
    writeFileSync(join(dir, 'older.zip'), makeZip([{ name: 'PYSEC-2023-62.json', data: JSON.stringify(older) }]));
    expect(await importOsvSource(server.ctx, join(dir, 'older.zip'))).toMatchObject({ unchanged: 1, updated: 0 });
    const after = await snapshot();
    expect(after.rows).toEqual(before.rows);
    expect(after.counts).toEqual(before.counts);

    // Newer: the withdrawn record comes back to life, and PYSEC now withdrawn.
    const revived = { ...withdrawn, modified: '2024-05-01T00:00:00Z', withdrawn: undefined };
    const gone = { ...pysec, modified: '2024-05-01T00:00:00+02:00', withdrawn: '2024-05-01T00:00:00Z' };
    writeFileSync(
      join(dir, 'newer.zip'),
      makeZip([revived, gone].map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) }))),
    );
    const index = await advisoryIndexFor(server.ctx);
    expect(await importOsvSource(server.ctx, join(dir, 'newer.zip'))).toMatchObject({ added: 0, updated: 2, withdrawn: 1 });
    const rows = (await snapshot()).rows;
    expect(rows.find((r) => r.id === 'PYSEC-2023-62')).toMatchObject({ modified: '2024-04-30T22:00:00.000000000Z' });
    const refreshed = await advisoryIndexFor(server.ctx);
    expect(refreshed).not.toBe(index);
    const [requests, flask224] = refreshed.match([
      { ecosystem: 'PyPI', name: 'requests', version: '2.0.0' },
      { ...flask, version: '2.2.4' },
    ]);
    expect(requests.map((f) => f.vulnerability.id)).toEqual(['PYSEC-2099-1']);
    expect(flask224.map((f) => [f.vulnerability.id, f.matchedBy])).toEqual([['CVE-2023-30861', ['GHSA-m2qf-hxjv-5gpq']]]);
    // Unchanged data: the cached index is reused.
    expect(await advisoryIndexFor(server.ctx)).toBe(refreshed);
  });
});

describe('hostile and corrupt sources are rejected whole, and the store stays as it was', () => {
  const good: ZipEntryInput = {
    name: 'GHSA-good-0000-0000.json',
    data: JSON.stringify(osvRecord('GHSA-good-0000-0000', { affected: [{ package: flask, versions: ['9.9'] }] })),
  };
  const zeros = (n: number) => Buffer.alloc(n, 0x20);
  const cases: { name: string; zip: () => Buffer; error: RegExp; limits?: Partial<typeof DEFAULT_LIMITS> }[] = [
    {
      name: 'a JSON syntax error',
      zip: () => makeZip([good, { name: 'PYSEC-bad.json', data: '{"id": "PYSEC-bad", ' }]),
      error: /PYSEC-bad\.json is not valid JSON .*nothing was imported/,
    },
    {
      name: 'a name that climbs out of the archive (../x.json)',
      zip: () => makeZip([good, { name: '../x.json', data: '{}' }]),
      error: /points outside the archive.*path traversal/,
    },
    {
      name: 'an absolute name (/etc/x.json)',
      zip: () => makeZip([good, { name: '/etc/x.json', data: '{}' }]),
      error: /points outside the archive.*path traversal/,
    },
    {
      name: 'a nested climb (PyPI/../../x.json)',
      zip: () => makeZip([good, { name: 'PyPI/../../x.json', data: '{}' }]),
      error: /points outside the archive/,
    },
    {
      name: 'an entry declaring 3 GiB uncompressed',
      zip: () => makeZip([good, { name: 'big.json', data: '{}', declaredSize: 3 * 1024 ** 3 }]),
      error: /big\.json declares 3072\.0 MiB uncompressed, more than the limit of 16\.0 MiB \(zip bomb\?\)/,
    },
    {
      name: 'an entry inflating to far more than it declares',
      zip: () => makeZip([good, { name: 'liar.json', data: zeros(20 * 1024 * 1024), declaredSize: 100 }]),
      error: /liar\.json inflates to more than the 100 bytes it declares \(zip bomb\?\)/,
    },
    {
      name: 'an entry compressing 1000:1',
      zip: () => makeZip([good, { name: 'ratio.json', data: zeros(4 * 1024 * 1024) }]),
      error: /ratio\.json compresses \d+:1, more than the limit of 100:1 \(zip bomb\?\)/,
    },
    {
      name: 'more uncompressed bytes in all than the limit',
      zip: () =>
        makeZip([
          good,
          ...[1, 2, 3].map((i) => ({
            name: `PYSEC-${i}.json`,
            data: JSON.stringify(osvRecord(`PYSEC-${i}`, { details: 'x'.repeat(600) })),
            method: 0 as const,
          })),
        ]),
      limits: { maxTotalBytes: 1500 },
      error: /more than 1500 bytes uncompressed in all \(zip bomb\?\)/,
    },
    {
      name: 'an archive claiming 2^40 entries (zip64)',
      zip: () => makeZip([good], { zip64EntryCount: 2 ** 40 }),
      error: /1099511627776 entries, more than the limit of 1000000/,
    },
    {
      name: 'more entries than the limit',
      zip: () => makeZip([good, ...[1, 2, 3, 4, 5].map((i) => ({ name: `PYSEC-${i}.json`, data: '{}' }))]),
      limits: { maxEntries: 5 },
      error: /6 entries, more than the limit of 5/,
    },
    {
      name: 'a truncated archive',
      zip: () => makeZip([good, { name: 'PYSEC-1.json', data: '{}' }]).subarray(0, 120),
      error: /not a readable zip archive/,
    },
    {
      name: 'a CRC-32 that does not match',
      zip: () => makeZip([good, { name: 'PYSEC-1.json', data: '{"id":"PYSEC-1"}', crc: 12345 }]),
      error: /PYSEC-1\.json does not match its CRC-32/,
    },
    {
      name: 'a corrupt deflate stream',
      zip: () => {
        const zip = makeZip([good, { name: 'PYSEC-1.json', data: '{"id":"PYSEC-1","modified":"2024-01-01T00:00:00Z"}' }]);
        const at = zip.indexOf('PYSEC-1.json') + 'PYSEC-1.json'.length;
        zip.fill(0xff, at, at + 8);
        return zip;
      },
      error: /PYSEC-1\.json (does not inflate|holds)/,
    },
    {
      name: 'an unsupported compression method',
      zip: () => {
        const zip = makeZip([good, { name: 'PYSEC-1.json', data: '{}' }]);
        // method field of the second central directory header
        const central = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        zip.writeUInt16LE(12, central + 10);
        return zip;
      },
      error: /compression method 12/,
    },
    {
      name: 'not a zip at all',
      zip: () => Buffer.from('this is not an archive'),
      error: /not a readable zip archive/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = await snapshot();
      const file = join(dir, 'hostile.zip');
      writeFileSync(file, c.zip());
      const attempt = importOsvSource(server.ctx, file, { limits: { ...DEFAULT_LIMITS, ...c.limits } });
      await expect(attempt).rejects.toThrow(RejectedSourceError);
      await expect(attempt).rejects.toThrow(c.error);
      expect(await snapshot()).toEqual(before);
      const logged = await server.ctx.store.db
        .selectFrom('advisory_imports')
        .selectAll()
        .where('status', '=', 'rejected')
        .orderBy('finished_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(logged.detail!).error).toMatch(c.error);
    });
  }

  it('the deflate bomb really is one: 20 MiB in a few KiB', () => {
    expect(deflateRawSync(zeros(20 * 1024 * 1024)).length).toBeLessThan(64 * 1024);
  });

  it('a directory: a file over the size limit rejects it, symbolic links are not followed', async () => {
    const folder = join(dir, 'tree');
    (await import('node:fs')).mkdirSync(join(folder, 'sub'), { recursive: true });
    writeRecords(join(folder, 'sub'), [osvRecord('GHSA-dir1-0000-0000', { affected: [{ package: flask, versions: ['1.0'] }] })]);
    symlinkSync('/etc/hostname', join(folder, 'link.json'));
    const summary = await importOsvSource(server.ctx, folder);
    expect(summary).toMatchObject({ records: 1, added: 1 });
    const before = await snapshot();
    writeFileSync(join(folder, 'huge.json'), zeros(2000));
    await expect(importOsvSource(server.ctx, folder, { limits: { ...DEFAULT_LIMITS, maxEntryBytes: 1000 } })).rejects.toThrow(
      /huge\.json is 2000 bytes, more than the limit of 1000/,
    );
    expect(await snapshot()).toEqual(before);
  });
});
