import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { importNvdSource } from '../../src/intel/nvd/importer.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { sharedFile } from '../helpers/shared.js';
import { extractOsvRecords } from '../evaluation/osv-fixtures.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { osvRecord, writeRecords } from '../intel/advisories/helpers.js';

/**
 * Every vulnerability gets the best score there is and says where it came from (issue 9), over
 * HTTP: a third-party scan, then the raw report, the policy report, the page, SBOM exports,
 * component and vulnerability details.
 *
 * - The reported case: django 3.2.0 and golang.org/x/crypto of mid-2020 against the real PyPI and
 *   Go databases (../shared/osv; only these packages' records are imported). No GO- record and
 *   few PYSEC ones carry a CVSS vector: before, the build evaluated to None.
 * - Hand-written records in the real OSV formats (PyPA's, GitHub's): a PYSEC record without
 *   severity that borrows its GHSA alias's vector, and a GHSA record that gives only a rating.
 */
const pypiZip = sharedFile('osv/PyPI-all.zip');
const goZip = sharedFile('osv/Go-all.zip');

const V31_75 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';
const flask = { ecosystem: 'PyPI', name: 'flask' };
// As PyPA writes it: no severity. Matches flask 2.2.4.
const PYSEC_FLASK = osvRecord('PYSEC-2023-62', {
  aliases: ['CVE-2023-30861', 'GHSA-m2qf-hxjv-5gpq'],
  affected: [{ package: flask, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.5' }] }] }],
});
// As GitHub writes it: a CVSS vector and a rating, but its range does not reach 2.2.4.
const GHSA_FLASK = osvRecord('GHSA-m2qf-hxjv-5gpq', {
  aliases: ['CVE-2023-30861'],
  severity: [{ type: 'CVSS_V3', score: V31_75 }],
  database_specific: { cwe_ids: ['CWE-539'], github_reviewed: true, severity: 'HIGH' },
  affected: [{ package: flask, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.3.2' }] }] }],
});
// Only a rating.
const GHSA_WERKZEUG = osvRecord('GHSA-xg9f-g7g7-2323', {
  aliases: ['CVE-2023-25577'],
  database_specific: { cwe_ids: ['CWE-770'], github_reviewed: true, severity: 'HIGH' },
  affected: [{ package: { ecosystem: 'PyPI', name: 'werkzeug' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.2.3' }] }] }],
});

const DJANGO = 'pkg:pypi/django@3.2.0';
const CRYPTO = 'pkg:golang/golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9';
const REPORTED_SBOM = cycloneDxJson([
  { name: 'django', version: '3.2.0', purl: DJANGO, license: 'BSD-3-Clause' },
  { name: 'golang.org/x/crypto', version: 'v0.0.0-20200622213623-75b288015ac9', purl: CRYPTO, license: 'BSD-3-Clause' },
]);
const FLASK = 'pkg:pypi/flask@2.2.4';
const WERKZEUG = 'pkg:pypi/werkzeug@2.2.2';
const HANDWRITTEN_SBOM = cycloneDxJson([
  { name: 'flask', version: '2.2.4', purl: FLASK, license: 'BSD-3-Clause' },
  { name: 'werkzeug', version: '2.2.2', purl: WERKZEUG, license: 'BSD-3-Clause' },
]);

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the reference schema, then read freely.
type Json = Record<string, any>;
interface Issue {
  reference: string;
  severity?: number;
  cvssVector?: string;
  cvssVectorSource?: string;
}

let server: TestServer;
const dirs: string[] = [];
let reported: { result: Json; scanId: string };
let reportedAppId: string;
let handwritten: { result: Json; scanId: string };
let handwrittenAppId: string;

beforeAll(async () => {
  if (!pypiZip || !goZip) return;
  server = await startTestServer({ registries: { offline: true } });
  for (const [zip, packages] of [
    [pypiZip, ['django']],
    [goZip, ['golang.org/x/crypto']],
  ] as const) {
    const { dir } = await extractOsvRecords(zip, packages);
    dirs.push(dir);
    expect((await importOsvSource(server.ctx, dir)).rejected).toEqual([]);
  }
  const own = mkdtempSync(join(tmpdir(), 'tollgate-scores-'));
  dirs.push(own);
  expect((await importOsvSource(server.ctx, writeRecords(own, [PYSEC_FLASK, GHSA_FLASK, GHSA_WERKZEUG]))).rejected).toEqual([]);

  reportedAppId = await createApplication(server, 'django-app');
  reported = await scanAndWait(server, reportedAppId, REPORTED_SBOM, { stage: 'build' });
  handwrittenAppId = await createApplication(server, 'flask-app');
  handwritten = await scanAndWait(server, handwrittenAppId, HANDWRITTEN_SBOM, { stage: 'build' });
}, 120_000);
afterAll(async () => {
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function raw(publicId: string, scanId: string): Promise<Map<string, Issue[]>> {
  const res = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/raw`);
  expect(res.status).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, res.body);
  return new Map(res.body.components.map((c: Json) => [c.packageUrl, c.securityData.securityIssues]));
}

async function reasons(publicId: string, scanId: string): Promise<Map<string, string[]>> {
  const res = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/policy`);
  expect(res.status).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/policy', 200, res.body);
  const out = new Map<string, string[]>();
  for (const c of res.body.components) {
    for (const v of c.violations) {
      for (const k of v.constraints) for (const f of k.conditions) out.set(`${c.packageUrl} ${v.policyName}`, [...(out.get(`${c.packageUrl} ${v.policyName}`) ?? []), f.conditionReason]);
    }
  }
  return out;
}

describe.skipIf(!pypiZip || !goZip)('django 3.2.0 and 2020 x/crypto against the real PyPI and Go databases', () => {
  it('is no longer "clean": security violations, and a warning at build', async () => {
    expect(reported.result.policyAction).toBe('Warning');
    const open = reported.result.openPolicyViolations as { critical: number; severe: number };
    expect(open.critical + open.severe).toBeGreaterThan(0);
    const byPolicy = await reasons('django-app', reported.scanId);
    expect(byPolicy.has(`${CRYPTO} Security-Unscored`)).toBe(true);
    expect(byPolicy.get(`${CRYPTO} Security-Unscored`)!.join('\n')).toMatch(/Found security vulnerability \S+ without a score/);
  });

  it('the raw report gives every issue a source, and marks the unscored ones as such', async () => {
    const issues = await raw('django-app', reported.scanId);
    const all = [...issues.get(DJANGO)!, ...issues.get(CRYPTO)!];
    expect(issues.get(DJANGO)!.length).toBeGreaterThan(0);
    expect(issues.get(CRYPTO)!.length).toBeGreaterThan(0);
    for (const issue of all) {
      // Only PyPA's records can carry a vector here (the Go database gives none, and nothing else is imported).
      expect(issue.cvssVectorSource, issue.reference).toMatch(/^(osv|alias):PYSEC-\S+$|^unscored$/);
      if (issue.cvssVectorSource === 'unscored') expect(issue.severity, issue.reference).toBeUndefined();
      else expect(issue.severity, issue.reference).toBeTypeOf('number');
    }
    // No GO- record carries severity: every x/crypto issue is unscored, and each is cited by Security-Unscored.
    expect(issues.get(CRYPTO)!.every((i) => i.cvssVectorSource === 'unscored')).toBe(true);
    const unscoredReasons = (await reasons('django-app', reported.scanId)).get(`${CRYPTO} Security-Unscored`)!.filter((r) => r.includes('without a score'));
    expect(unscoredReasons.length).toBe(issues.get(CRYPTO)!.length);
  });

  it('the report page shows each score with its source, marks unscored issues, and counts them', async () => {
    const page = await server.request('GET', new URL(reported.result.reportHtmlUrl).pathname);
    expect(page.status).toBe(200);
    const issues = await raw('django-app', reported.scanId);
    const all = [...issues.values()].flat();
    const unscored = all.filter((i) => i.cvssVectorSource === 'unscored').length;
    expect(page.text).toContain(`${all.length} vulnerability findings, <span class="unscored">${unscored} unscored</span>`);
    expect(unscored).toBeGreaterThan(0);
    expect(page.text.match(/class="unscored">UNSCORED</g)?.length).toBe(unscored);
  });

  it('fails at release like the scored ones', async () => {
    const release = await scanAndWait(server, reportedAppId, REPORTED_SBOM, { stage: 'release' });
    expect(release.result.policyAction).toBe('Failure');
  });
});

describe.skipIf(!pypiZip || !goZip)('borrowed and qualitative scores (hand-written records in the real formats)', () => {
  it('a PYSEC match without severity borrows the GHSA vector; a rating alone scores at its band', async () => {
    const issues = await raw('flask-app', handwritten.scanId);
    expect(issues.get(FLASK)).toEqual([
      expect.objectContaining({ reference: 'CVE-2023-30861', severity: 7.5, cvssVector: V31_75, cvssVectorSource: 'alias:GHSA-m2qf-hxjv-5gpq', threatCategory: 'severe' }),
    ]);
    expect(issues.get(WERKZEUG)).toEqual([expect.objectContaining({ reference: 'CVE-2023-25577', severity: 8, cvssVectorSource: 'qualitative:GHSA-xg9f-g7g7-2323', threatCategory: 'severe' })]);
    expect(issues.get(WERKZEUG)![0].cvssVector).toBeUndefined();
  });

  it('both count in Security-High by their score, and the reasons say where the score came from', async () => {
    expect(handwritten.result.policyAction).toBe('Warning');
    const byPolicy = await reasons('flask-app', handwritten.scanId);
    expect(byPolicy.get(`${FLASK} Security-High`)).toContain(
      'Found security vulnerability CVE-2023-30861 with severity >= 7 (severity = 7.5, CVSS 7.5 from GHSA-m2qf-hxjv-5gpq)',
    );
    expect(byPolicy.get(`${WERKZEUG} Security-High`)).toContain(
      'Found security vulnerability CVE-2023-25577 with severity >= 7 (severity = 8.0, rated HIGH by GHSA-xg9f-g7g7-2323, scored as 8.0)',
    );
    expect([...byPolicy.keys()].filter((k) => k.endsWith('Security-Unscored'))).toEqual([]);
  });

  it('the page shows the rating and the source', async () => {
    const page = await server.request('GET', new URL(handwritten.result.reportHtmlUrl).pathname);
    expect(page.text).toContain('CVE-2023-30861 <span class="muted">7.5 · alias:GHSA-m2qf-hxjv-5gpq</span>');
    expect(page.text).toContain('CVE-2023-25577 <span class="muted">8.0 · rated HIGH · qualitative:GHSA-xg9f-g7g7-2323</span>');
    expect(page.text).toContain('2 vulnerability findings, none unscored');
  });

  it('component details score as evaluations do and name the source', async () => {
    const res = await server.request('POST', '/api/v2/components/details', { body: { components: [{ packageUrl: FLASK }, { packageUrl: WERKZEUG }, { packageUrl: CRYPTO }] } });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/components/details', 200, res.body);
    const [f, w, c] = res.body.componentDetails.map((d: Json) => d.securityData.securityIssues);
    expect(f).toEqual([expect.objectContaining({ reference: 'CVE-2023-30861', severity: 7.5, cvssVectorSource: 'alias:GHSA-m2qf-hxjv-5gpq' })]);
    expect(w).toEqual([expect.objectContaining({ reference: 'CVE-2023-25577', severity: 8, cvssVectorSource: 'qualitative:GHSA-xg9f-g7g7-2323' })]);
    expect(c.length).toBeGreaterThan(0);
    expect(c.every((i: Issue) => i.cvssVectorSource === 'unscored' && i.severity === undefined)).toBe(true);
  });

  it('vulnerability details: the package’s own record first; a rating when nothing else scores', async () => {
    const flaskDetails = await server.request(
      'GET',
      `/api/v2/vulnerabilities/CVE-2023-30861?componentIdentifier=${encodeURIComponent(JSON.stringify({ format: 'pypi', coordinates: { name: 'flask', version: '2.2.4' } }))}`,
    );
    expect(flaskDetails.status).toBe(200);
    expect(flaskDetails.body.mainSeverity).toEqual({ source: 'ghsa', sourceLabel: 'GitHub Advisory Database', score: 7.5, vector: V31_75 });
    const werkzeug = await server.request('GET', '/api/v2/vulnerabilities/GHSA-xg9f-g7g7-2323');
    expect(werkzeug.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/vulnerabilities/{refId}', 200, werkzeug.body);
    expect(werkzeug.body.mainSeverity).toEqual({ source: 'ghsa', sourceLabel: 'GitHub Advisory Database (rated HIGH)', score: 8 });
    expect(werkzeug.body.severityScores).toBeUndefined();
  });

  it('SBOM exports carry the source: CycloneDX rating source, method and justification; SPDX the reference comment', async () => {
    const cdx = await server.request('GET', `/api/v2/cycloneDx/1.6/${handwrittenAppId}/reports/${handwritten.scanId}`, { headers: { accept: 'application/json' } });
    expect(cdx.status).toBe(200);
    const doc = JSON.parse(cdx.text);
    const byId = new Map(doc.vulnerabilities.map((v: Json) => [v.id, v.ratings]));
    expect(byId.get('CVE-2023-30861')).toEqual([
      {
        source: { name: 'alias:GHSA-m2qf-hxjv-5gpq', url: 'https://osv.dev/vulnerability/GHSA-m2qf-hxjv-5gpq' },
        score: 7.5,
        severity: 'high',
        method: 'CVSSv31',
        vector: V31_75,
        justification: `CVSS 7.5 (${V31_75}) from GHSA-m2qf-hxjv-5gpq, another record of the same vulnerability`,
      },
    ]);
    expect(byId.get('CVE-2023-25577')).toEqual([
      {
        source: { name: 'qualitative:GHSA-xg9f-g7g7-2323', url: 'https://osv.dev/vulnerability/GHSA-xg9f-g7g7-2323' },
        score: 8,
        severity: 'high',
        method: 'other',
        justification: 'rated HIGH by GHSA-xg9f-g7g7-2323, scored as 8.0',
      },
    ]);
    const spdx = await server.request('GET', `/api/v2/spdx/${handwrittenAppId}/reports/${handwritten.scanId}`);
    expect(spdx.status).toBe(200);
    const refs = spdx.body.packages.flatMap((p: Json) => p.externalRefs ?? []).filter((r: Json) => r.referenceType === 'advisory');
    expect(refs.map((r: Json) => r.comment).sort()).toEqual([
      `CVSS 7.5 (${V31_75}) from GHSA-m2qf-hxjv-5gpq, another record of the same vulnerability`,
      'rated HIGH by GHSA-xg9f-g7g7-2323, scored as 8.0',
    ]);
  });

  it('an unscored issue is exported as such', async () => {
    const cdx = await server.request('GET', `/api/v2/cycloneDx/1.6/${reportedAppId}/reports/${reported.scanId}`, { headers: { accept: 'application/json' } });
    const ratings = JSON.parse(cdx.text).vulnerabilities.flatMap((v: Json) => v.ratings);
    expect(ratings).toContainEqual({ source: { name: 'unscored' }, severity: 'unknown', justification: 'unscored: no CVSS vector or severity rating is known for this vulnerability' });
  });
});

const nvdCve = sharedFile('fixtures/nvd/cve/CVE-2021-35042.json');

// Last in the file: it adds NVD data to the server the tests above share.
describe.skipIf(!pypiZip || !goZip || !nvdCve)('NVD scores a CVE the OSV records left unscored', () => {
  it('after an NVD import, the next scan scores django’s CVE-2021-35042 by NVD (9.8) and Security-Critical holds', async () => {
    const before = (await raw('django-app', reported.scanId)).get(DJANGO)!.find((i) => i.reference === 'CVE-2021-35042');
    expect(before, 'django 3.2.0 is affected by CVE-2021-35042').toBeDefined();
    // PyPA's record of it carries no vector, and nothing else about it is imported.
    expect(before!.cvssVectorSource).toBe('unscored');

    const summary = await importNvdSource(server.ctx, nvdCve!);
    expect(summary.added).toBe(1);
    const again = await scanAndWait(server, reportedAppId, REPORTED_SBOM, { stage: 'build' });
    const after = (await raw('django-app', again.scanId)).get(DJANGO)!.find((i) => i.reference === 'CVE-2021-35042');
    expect(after).toMatchObject({ cvssVectorSource: 'nvd:CVE-2021-35042', severity: 9.8, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    const byPolicy = await reasons('django-app', again.scanId);
    expect(byPolicy.get(`${DJANGO} Security-Critical`)?.join("\n")).toContain("CVSS 9.8 from NVD (CVE-2021-35042)");
  });
});
