import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvisoryIndex } from '../../../src/intel/advisories/advisory-index.js';
import { advisoryCounts, countByEcosystem } from '../../../src/intel/advisories/advisory-store.js';
import { advisoryIndexFor } from '../../../src/intel/advisories/index-cache.js';
import { type ImportSummary, importOsvSource } from '../../../src/intel/advisories/importer.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { sharedOsvZip } from './helpers.js';

// The Go vulnerability database, as exported by OSV: 4,291 records, SEMVER ranges only.
const zip = sharedOsvZip('Go');

let server: TestServer;
let summary: ImportSummary;
let index: AdvisoryIndex;
let entries: number;

beforeAll(async () => {
  if (!zip) return;
  server = await startTestServer();
  summary = await importOsvSource(server.ctx, zip);
  index = await advisoryIndexFor(server.ctx);
  entries = await new Promise<number>((resolve, reject) =>
    yauzl.open(zip, { lazyEntries: true }, (err, z) => {
      if (err) return reject(err);
      z.close();
      resolve(z.entryCount);
    }),
  );
}, 120_000);
afterAll(async () => {
  await server?.close();
});

function ids(ecosystem: string, name: string, version: string): string[] {
  const [found] = index.match([{ ecosystem, name, version }]);
  return found.flatMap((f) => f.matchedBy).sort();
}

describe.skipIf(!zip)('the real Go vulnerability database', () => {
  it('imports every record, the withdrawn ones kept aside', async () => {
    expect(summary).toMatchObject({ records: entries, added: entries, updated: 0, unchanged: 0, rejected: [] });
    expect(entries).toBe(4291);
    expect(summary.withdrawn).toBe(17);
    const counts = await advisoryCounts(server.ctx.store.db);
    expect(counts).toMatchObject({ records: 4291, withdrawn: 17 });
    expect(await countByEcosystem(server.ctx.store.db, 'Go')).toBe(4291);
    // Each Go record names a vulnerability of its own; none is merged with another.
    expect(counts.groups).toBe(4291);
  });

  it('GO-2022-0969 (HTTP/2 shutdown hang): the Go standard library, two branches', () => {
    expect(ids('Go', 'stdlib', '1.18.5')).toContain('GO-2022-0969');
    expect(ids('Go', 'stdlib', '1.18.6')).not.toContain('GO-2022-0969');
    expect(ids('Go', 'stdlib', '1.19.0')).toContain('GO-2022-0969');
    expect(ids('Go', 'stdlib', '1.19.1')).not.toContain('GO-2022-0969');
  });

  it('GO-2022-0969 on golang.org/x/net: pseudo-versions ordered by SemVer 2.0', () => {
    expect(ids('Go', 'golang.org/x/net', 'v0.0.0-20220722155237-a158d28d115b')).toContain('GO-2022-0969');
    expect(ids('Go', 'golang.org/x/net', 'v0.0.0-20220906165146-f3363e06e74c')).not.toContain('GO-2022-0969');
    expect(ids('Go', 'golang.org/x/net', 'v0.1.0')).not.toContain('GO-2022-0969');
  });

  it('GO-2020-0001 (gin log injection) before 1.6.0, under its CVE with every name', () => {
    const [before, fixed] = index.match([
      { ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version: 'v1.5.0' },
      { ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version: 'v1.6.0' },
    ]);
    const gin = before.find((f) => f.matchedBy.includes('GO-2020-0001'))!;
    expect(gin.vulnerability.id).toBe('CVE-2020-36567');
    expect(gin.vulnerability.aliases).toEqual(['GHSA-6vm3-jj99-7229', 'GO-2020-0001']);
    expect(fixed.flatMap((f) => f.matchedBy)).not.toContain('GO-2020-0001');
    // One finding per vulnerability.
    const names = before.map((f) => f.vulnerability.id);
    expect(new Set(names).size).toBe(names.length);
  });

  it('GO-2021-0113 (golang.org/x/text out-of-bounds read) before 0.3.7', () => {
    expect(ids('Go', 'golang.org/x/text', 'v0.3.6')).toContain('GO-2021-0113');
    expect(ids('Go', 'golang.org/x/text', 'v0.3.7')).not.toContain('GO-2021-0113');
  });

  it('withdrawn GO-2022-0617 (k8s.io/kubernetes, every version) matches nothing', () => {
    expect(ids('Go', 'k8s.io/kubernetes', 'v1.20.0')).not.toContain('GO-2022-0617');
  });

  it('a module with no advisories, and an unknown ecosystem, match nothing', () => {
    expect(index.match([{ ecosystem: 'Go', name: 'example.com/nothing', version: 'v1.0.0' }])).toEqual([[]]);
    expect(index.match([{ ecosystem: 'Hackage', name: 'stdlib', version: '1.18.5' }])).toEqual([[]]);
  });
});
