/**
 * Accuracy oracle: PyPA records list their affected versions explicitly beside their ranges. With
 * the lists left out of the index, the ranges alone (read with the PEP 440 scheme) must mark every
 * listed version of every live record as affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versioningFor } from '../../../src/ecosystems/versioning/index.js';
import { AdvisoryIndex } from '../../../src/intel/advisories/advisory-index.js';
import { type ImportSummary, importOsvSource } from '../../../src/intel/advisories/importer.js';
import type { OsvRecord } from '../../../src/intel/advisories/osv.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { sharedOsvZip } from './helpers.js';

const zip = sharedOsvZip('PyPI');
const pep440 = versioningFor('PyPI');
if (!pep440) console.warn('notice: no PyPI version scheme yet (ecosystems/versioning); skipping the PyPA range oracle');

/**
 * Listed versions that valid PEP 440 ranges do not cover, each explained: the record's list and its
 * ranges disagree, and the ranges, read as the OSV schema says, are what Tollgate matches on (the
 * lists still match these versions, see the last test). Keyed `<record id> <package> <version>`.
 */
const DISAGREEING_RECORDS: Record<string, string> = {
  'PYSEC-2023-177 gevent 23.9.0': 'range says fixed in 23.9.0; the list still names 23.9.0',
  'PYSEC-2023-177 gevent 23.9.0.post1': 'post-release of the fixed 23.9.0, named by the list only',
  'PYSEC-2023-61 django 3.2a1': 'pre-release of 3.2, below the range start introduced: 3.2',
  'PYSEC-2023-61 django 3.2b1': 'pre-release of 3.2, below the range start introduced: 3.2',
  'PYSEC-2023-61 django 3.2rc1': 'pre-release of 3.2, below the range start introduced: 3.2',
  'PYSEC-2023-61 django 4.2a1': 'pre-release of 4.2, below the range start introduced: 4.2',
  'PYSEC-2023-61 django 4.2b1': 'pre-release of 4.2, below the range start introduced: 4.2',
  'PYSEC-2023-61 django 4.2rc1': 'pre-release of 4.2, below the range start introduced: 4.2',
  'PYSEC-2021-114 wagtail 2.11.6':
    'overlapping events in one range (introduced 2.11 … fixed 2.11.7 and introduced 0 … fixed 2.11.6): in version order fixed 2.11.6 is the last event to apply',
};

/** Why a miss is expected, or undefined when it is not. */
function explain(key: string, version: string, hasRanges: boolean): string | undefined {
  if (!hasRanges) return 'the record has no ECOSYSTEM range for the package, only its list';
  if (!pep440!.isValid(version)) return 'not a PEP 440 version (legacy, e.g. 0.1-bulbasaur, 0.7.4.svn.r2010): no range can place it';
  return DISAGREEING_RECORDS[key];
}

let server: TestServer;
let summary: ImportSummary;
let rangesOnly: AdvisoryIndex;
let withLists: AdvisoryIndex;

beforeAll(async () => {
  if (!zip || !pep440) return;
  server = await startTestServer();
  summary = await importOsvSource(server.ctx, zip);
  rangesOnly = await AdvisoryIndex.load(server.ctx.store, { ignoreVersionLists: true });
  withLists = await AdvisoryIndex.load(server.ctx.store);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe.skipIf(!zip || !pep440)('the PyPA advisory database', () => {
  it('imports every record', () => {
    expect(summary).toMatchObject({ records: 2661, added: 2661, rejected: [] });
    expect(summary.withdrawn).toBe(10);
  });

  it('ranges alone mark every listed version affected, or the test explains why (agreement rate printed)', async () => {
    const rows = await server.ctx.store.db.selectFrom('advisories').select(['id', 'record']).where('withdrawn', 'is', null).execute();
    const queries: { key: string; id: string; version: string; hasRanges: boolean; name: string }[] = [];
    for (const row of rows) {
      const record = JSON.parse(row.record) as OsvRecord;
      for (const affected of record.affected ?? []) {
        if (affected.package?.ecosystem !== 'PyPI') continue;
        const hasRanges = (affected.ranges ?? []).some((r) => r.type === 'ECOSYSTEM');
        for (const version of affected.versions ?? []) {
          const name = affected.package!.name;
          queries.push({ key: `${row.id} ${name} ${version}`, id: row.id, version, hasRanges, name });
        }
      }
    }
    const results = rangesOnly.match(queries.map((q) => ({ ecosystem: 'PyPI', name: q.name, version: q.version })));
    const reasons = new Map<string, number>();
    const unexplained: string[] = [];
    let misses = 0;
    queries.forEach((q, i) => {
      if (results[i].some((f) => f.matchedBy.includes(q.id))) return;
      misses++;
      const why = explain(q.key, q.version, q.hasRanges);
      if (why === undefined) unexplained.push(q.key);
      else reasons.set(why, (reasons.get(why) ?? 0) + 1);
    });
    const checked = queries.length;
    const rate = ((checked - misses) / checked) * 100;
    console.log(
      `PyPA oracle: ${checked - misses} of ${checked} listed versions affected by the ranges alone (${rate.toFixed(3)}%); exceptions:\n` +
        [...reasons].map(([why, n]) => `  ${n} × ${why}`).join('\n'),
    );
    expect(checked).toBeGreaterThan(100_000);
    expect(unexplained).toEqual([]);
    // Every disagreement listed above still happens: remove entries the data no longer needs.
    expect(Object.keys(DISAGREEING_RECORDS).every((k) => queries.some((q) => q.key === k))).toBe(true);
  });

  it('with the lists back in, the same queries all match, and fixed versions do not', () => {
    const [django, fixed, normalized] = withLists.match([
      { ecosystem: 'PyPI', name: 'Django', version: '3.2' },
      { ecosystem: 'PyPI', name: 'trac', version: '0.10' },
      { ecosystem: 'PyPI', name: 'TRAC', version: '0.9' },
    ]);
    expect(django.length).toBeGreaterThan(10);
    expect(fixed.flatMap((f) => f.matchedBy)).not.toContain('PYSEC-2005-1');
    expect(normalized.flatMap((f) => f.matchedBy)).toContain('PYSEC-2005-1');
    // PEP 440: 0.9.0 is 0.9, which PYSEC-2005-1 lists; only the range can tell.
    const [zeroNine] = rangesOnly.match([{ ecosystem: 'PyPI', name: 'trac', version: '0.9.0' }]);
    expect(zeroNine.flatMap((f) => f.matchedBy)).toContain('PYSEC-2005-1');
  });
});
