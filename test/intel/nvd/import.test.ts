import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../../src/intel/advisories/importer.js';
import { RejectedSourceError } from '../../../src/intel/advisories/source.js';
import { isNvdSource } from '../../../src/intel/nvd/detect.js';
import { importNvdSource } from '../../../src/intel/nvd/importer.js';
import { nvdCounts, nvdGeneration, nvdRecordsFor, nvdSeveritiesForAliases } from '../../../src/intel/nvd/store.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { osvRecord, tempDir, writeRecords } from '../advisories/helpers.js';
import { makeZip } from '../advisories/zip-writer.js';
import { CVE_DJANGO, PAGE_38, PAGE_RAILS, PAGE_V4, SINGLE_2011, nvdCve, nvdPage, sharedNvd, tempFile, tempFolder } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const db = () => server.ctx.store.db;
const recordOf = async (id: string) => (await nvdRecordsFor(db(), [id])).get(id);
const cveRows = () => db().selectFrom('nvd_cves').selectAll().orderBy('id').execute();
const importRows = () => db().selectFrom('nvd_imports').selectAll().orderBy('finished_at').orderBy('started_at').execute();

/** The recorded files, or undefined (and the test skips) when ../shared is absent. */
function recordedFiles() {
  const files = [PAGE_38, PAGE_RAILS, PAGE_V4, SINGLE_2011, CVE_DJANGO].map(sharedNvd);
  return files.every((f) => f !== undefined) ? (files as string[]) : undefined;
}

describe('importing NVD CVE JSON 2.0', () => {
  it('imports the recorded API pages and a single CVE object, with the values NVD published', async (t) => {
    const files = recordedFiles();
    if (!files) return t.skip();
    const progress: [number, number | undefined][] = [];
    const summaries = [];
    for (const file of files) summaries.push(await importNvdSource(server.ctx, file, { onProgress: (done, total) => progress.push([done, total]) }));
    expect(summaries.map((s) => [s.source, s.records, s.added, s.rejected.length])).toEqual([
      ['page-38-cves.json', 38, 38, 0],
      ['page1-rails-CVE-2020-8167-CVE-2021-22903.json', 2, 2, 0],
      ['page2-CVE-2024-5732-cvss40.json', 1, 1, 0],
      ['single-CVE-2011-0022.json', 1, 1, 0],
      ['CVE-2021-35042.json', 1, 1, 0],
    ]);
    // The page's resultsPerPage is the total while it is read.
    expect(progress.slice(0, 3)).toEqual([
      [0, undefined],
      [1, 38],
      [2, 38],
    ]);
    expect(await nvdCounts(db())).toEqual({ cves: 43, rejected: 0, scored: 40 });

    const v4 = await recordOf('CVE-2024-5732');
    expect(v4?.severity.find((s) => s.type === 'CVSS_V4')).toEqual({
      type: 'CVSS_V4',
      score:
        'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X',
      source: 'cna@vuldb.com',
      primary: false,
    });
    const rails = await recordOf('CVE-2021-22903');
    expect(rails).toMatchObject({
      status: 'Analyzed',
      published: '2021-06-11T16:15:11.437000000Z',
      lastModified: '2021-10-21T14:32:48.653000000Z',
      cweIds: ['CWE-601'],
    });
    expect(rails?.severity.map((s) => s.score)).toEqual(['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 'AV:N/AC:M/Au:N/C:P/I:P/A:N']);
    const django = await recordOf('CVE-2021-35042');
    expect(django?.cweIds).toEqual(['CWE-89']);
    expect(django?.references.map((r) => r.url)).toContain('https://www.djangoproject.com/weblog/2021/jul/01/security-releases/');
    expect((await recordOf('CVE-2011-0022'))?.severity).toEqual([{ type: 'CVSS_V2', score: 'AV:L/AC:M/Au:N/C:N/I:N/A:C', source: 'nvd@nist.gov', primary: true }]);
    // CPE configurations are not stored.
    expect(JSON.stringify(await cveRows())).not.toContain('cpe:2.3');
  });

  it('gzipped copies and a directory of the same files import the same, changing nothing', async (t) => {
    const files = recordedFiles();
    if (!files) return t.skip();
    const before = await cveRows();
    const generation = await nvdGeneration(db());
    const folder = tempFolder();
    mkdirSync(join(folder, 'CVE-2021', 'CVE-2021-350xx'), { recursive: true });
    copyFileSync(files[4], join(folder, 'CVE-2021', 'CVE-2021-350xx', 'CVE-2021-35042.json'));
    writeFileSync(join(folder, 'page-38.json.gz'), gzipSync(readFileSync(files[0])));
    writeFileSync(join(folder, 'README.md'), 'not NVD data');
    for (const file of files) {
      const summary = await importNvdSource(server.ctx, tempFile(readFileSync(file), { gzip: true, suffix: '.json.gz' }));
      expect(summary).toMatchObject({ added: 0, updated: 0, unchanged: summary.records });
    }
    const fromFolder = await importNvdSource(server.ctx, folder);
    expect(fromFolder).toMatchObject({ records: 39, added: 0, updated: 0, unchanged: 39 });
    expect(await cveRows()).toEqual(before);
    expect(await nvdGeneration(db())).toBe(generation);
  });

  it('rewrites a CVE only when its lastModified is later; a Rejected CVE loses its scores', async () => {
    const first = nvdCve('CVE-2099-1000', { v31: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], cwes: ['CWE-79'], lastModified: '2099-01-03T03:36:29.017' });
    const generation = await nvdGeneration(db());
    expect(await importNvdSource(server.ctx, tempFile(JSON.stringify(nvdPage([first]))))).toMatchObject({ added: 1 });
    expect(await nvdGeneration(db())).not.toBe(generation);
    const older = { ...first, lastModified: '2099-01-01T00:00:00.000', vulnStatus: 'Modified' };
    expect(await importNvdSource(server.ctx, tempFile(JSON.stringify(older)))).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect((await recordOf('CVE-2099-1000'))?.status).toBe('Analyzed');

    // The same CVE twice in one source: the later lastModified wins, whatever the order.
    const rejected = nvdCve('CVE-2099-1000', { vulnStatus: 'Rejected', description: 'Rejected reason: a duplicate of CVE-2099-1001.', lastModified: '2099-03-01T00:00:00.000' });
    const between = { ...first, lastModified: '2099-02-01T00:00:00.000' };
    const summary = await importNvdSource(server.ctx, tempFile(JSON.stringify(nvdPage([rejected, between]))));
    expect(summary).toMatchObject({ records: 2, added: 0, updated: 1, withdrawn: 1 });
    expect(await recordOf('CVE-2099-1000')).toMatchObject({ status: 'Rejected', severity: [], cweIds: [], lastModified: '2099-03-01T00:00:00.000000000Z' });
    expect(await nvdCounts(db())).toMatchObject({ rejected: 1 });
  });

  it('refuses a truncated gzip, a JSON syntax error and JSON that is not NVD, keeping the data and logging why', async () => {
    const before = await cveRows();
    const generation = await nvdGeneration(db());
    const cves = Array.from({ length: 1200 }, (_, i) => nvdCve(`CVE-2099-${2000 + i}`, { v31: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }));
    const gz = gzipSync(JSON.stringify(nvdPage(cves)));
    const bad: [string, RegExp][] = [
      // More than two batches are written before the gzip ends: the transaction takes them back.
      [tempFile(gz.subarray(0, gz.length - 200), { suffix: '.json.gz' }), /: the gzip data is truncated or corrupt \(unexpected end of file\); nothing was imported$/],
      [tempFile(JSON.stringify(nvdPage(cves)).replace('"CVE-2099-3100"', '"CVE-2099-3100",,')), /is not valid JSON \(Parser cannot parse input: .*\); nothing was imported$/],
      [tempFile(JSON.stringify(nvdPage(cves)).slice(0, -500)), /is not valid JSON|ends before its JSON document does/],
      [tempFile(JSON.stringify({ ...nvdPage(cves), format: 'NVD_CPE' })), /is not an NVD CVE API 2\.0 response or feed file .*: its format is "NVD_CPE"/],
      [tempFile(JSON.stringify(osvRecord('PYSEC-2099-1'))), /neither "vulnerabilities" nor the fields of a CVE object/],
      [tempFile(JSON.stringify({ CVE_data_type: 'CVE', CVE_data_format: 'MITRE', CVE_data_version: '4.0', CVE_Items: [] })), /a 1\.1 feed \(CVE_Items\), which NVD retired/],
      [tempFile(Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6]), { suffix: '.json.gz' }), /gzip data is truncated or corrupt/],
      ['/nonexistent/nvdcve-2.0-2023.json', /cannot read it \(ENOENT\)/],
    ];
    for (const [file, message] of bad) {
      const error = await importNvdSource(server.ctx, file).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(error, file).toBeInstanceOf(RejectedSourceError);
      expect(error?.message, file).toMatch(message);
    }
    expect(await cveRows()).toEqual(before);
    expect(await nvdGeneration(db())).toBe(generation);
    const log = (await importRows()).slice(-bad.length);
    expect(log.map((r) => [r.status, r.kind, r.added])).toEqual(bad.map(() => ['rejected', 'import', 0]));
    expect(JSON.parse(log[0].detail!).error).toMatch(/gzip data is truncated/);
  });

  it('lists CVE objects it cannot read and imports the rest', async () => {
    const page = nvdPage([nvdCve('CVE-2099-4000'), { ...nvdCve('CVE-2099-4001'), lastModified: undefined }, nvdCve('NOT-A-CVE')]);
    (page.vulnerabilities as unknown[]).push({ notCve: true });
    const summary = await importNvdSource(server.ctx, tempFile(JSON.stringify(page)), { label: 'mixed.json' });
    expect(summary).toMatchObject({ records: 4, added: 1 });
    expect(summary.rejected).toEqual([
      { entry: 'mixed.json#1', id: 'CVE-2099-4001', reason: '"lastModified" is missing or not a time' },
      { entry: 'mixed.json#2', id: 'NOT-A-CVE', reason: '"id" is not a CVE id (CVE-YYYY-NNNN)' },
      { entry: 'mixed.json#3', reason: 'no "cve" object' },
    ]);
    const logged = (await importRows()).at(-1)!;
    expect(logged).toMatchObject({ source: 'mixed.json', status: 'imported', added: 1, rejected: 3 });
    expect(JSON.parse(logged.detail!).rejected).toHaveLength(3);
  });

  it('tells NVD files and directories from OSV ones by their content, whatever their names', async (t) => {
    const files = recordedFiles();
    if (!files) return t.skip();
    for (const file of files) expect(await isNvdSource(file), file).toBe(true);
    // Named like OSV, holding NVD: and the other way round.
    expect(await isNvdSource(tempFile(readFileSync(files[0]), { gzip: true, suffix: '.zip' }))).toBe(true);
    const folder = tempFolder();
    copyFileSync(files[4], join(folder, 'a.json'));
    expect(await isNvdSource(folder)).toBe(true);
    const osvFolder = writeRecords(tempDir(), [osvRecord('CVE-2099-5000', { aliases: ['GHSA-aaaa-bbbb-cccc'] })]);
    expect(await isNvdSource(osvFolder)).toBe(false);
    const osvZip = tempFile(makeZip([{ name: 'PYSEC-2099-1.json', data: JSON.stringify(osvRecord('PYSEC-2099-1')) }]), { suffix: '.json' });
    expect(await isNvdSource(osvZip)).toBe(false);
    expect(await isNvdSource('/nonexistent')).toBe(false);
    rmSync(osvFolder, { recursive: true, force: true });
  });
});

describe('the NVD store API', () => {
  it('nvdRecordsFor answers the ids it knows, in any letter case, in batches past 500', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `CVE-2099-${5000 + i}`);
    await importNvdSource(server.ctx, tempFile(JSON.stringify(nvdPage(ids.map((id) => nvdCve(id, { cwes: ['CWE-20'] }))))));
    const asked = [...ids, 'CVE-2099-999999', 'GHSA-aaaa-bbbb-cccc', 'cve-2099-5001'];
    const records = await nvdRecordsFor(db(), asked);
    expect(records.size).toBe(1200);
    expect(records.get('CVE-2099-6199')).toMatchObject({ id: 'CVE-2099-6199', cweIds: ['CWE-20'], description: 'Description of CVE-2099-6199.' });
  });

  it('nvdSeveritiesForAliases pages through the NVD CVEs OSV records name, leaving out the rejected and the unnamed', async () => {
    const folder = writeRecords(tempDir(), [
      osvRecord('GHSA-aaaa-bbbb-0001', { aliases: ['CVE-2099-5001', 'CVE-2099-1000'] }),
      osvRecord('PYSEC-2099-2', { aliases: ['CVE-2099-5002', 'CVE-2099-7777'] }),
      osvRecord('CVE-2099-5003'),
    ]);
    await importOsvSource(server.ctx, folder);
    rmSync(folder, { recursive: true, force: true });
    const pages = [];
    for await (const page of nvdSeveritiesForAliases(db(), 2)) pages.push(page);
    // CVE-2099-1000 is Rejected; CVE-2099-7777 is not in NVD; the other 1,200 are named by no record.
    expect(pages.map((p) => p.map((r) => r.id))).toEqual([['CVE-2099-5001', 'CVE-2099-5002'], ['CVE-2099-5003']]);
    expect(pages[0][0]).toEqual({ id: 'CVE-2099-5001', severity: [], cweIds: ['CWE-20'] });
  });
});
