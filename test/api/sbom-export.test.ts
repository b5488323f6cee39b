import { gunzipSync } from 'node:zlib';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredFormat } from '../../src/api/cyclonedx-export.js';
import type { ReportComponent, ReportData, ReportSecurityIssue } from '../../src/evaluation/report.js';
import { readSbom } from '../../src/sbom/read.js';
import { spdxXmlDocument } from '../../src/sbom/spdx/xml.js';
import { getReport } from '../../src/services/reports/reports.js';
import { cvssSeverity, cycloneDxOf, reportSbom } from '../../src/services/reports/sbom-export.js';
import { ADMIN, type TestServer, startTestServer } from '../helpers/server.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { userWithRole } from '../helpers/users.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { checkSpdx23, type Json } from '../sbom/write-spdx-schema.js';
import { importRealAdvisories } from './real-advisories.js';

/**
 * SBOM export (CycloneDX, SPDX) of a real evaluation against real OSV records: each export is
 * valid by its schema, and submitting it again evaluates to the same components and vulnerabilities.
 */
let server: TestServer;
let haveRecords = false;
let appId: string;
let scanId: string;
let OUTSIDER: [string, string];

const REQUESTS = 'pkg:pypi/requests@2.19.0';
const SHA256 = 'a'.repeat(64);
const SHA1 = '0123456789abcdef0123456789abcdef01234567';
const SBOM = (() => {
  const doc = JSON.parse(
    cycloneDxJson(
      [
        { name: 'requests', version: '2.19.0', purl: REQUESTS, license: 'Apache-2.0' },
        { name: 'sentry', version: '23.5.1', purl: 'pkg:pypi/sentry@23.5.1', license: 'BSD-3-Clause' },
        { name: 'net', version: 'v0.0.0-20220722155237-a158d28d115b', purl: 'pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b' },
        { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'WTFPL' },
        { name: 'lib', group: 'org.example', version: '1.0', purl: 'pkg:maven/org.example/lib@1.0', license: 'MIT OR Apache-2.0' },
        { name: 'mystery', version: '0.1' },
      ],
      { direct: ['requests', 'left-pad', 'mystery', 'lib'], dependsOn: { requests: ['sentry'], 'left-pad': ['net'] } },
    ),
  );
  doc.components[0].hashes = [
    { alg: 'SHA-1', content: SHA1 },
    { alg: 'SHA-256', content: SHA256 },
  ];
  doc.components[0].description = 'Python HTTP for Humans.';
  return JSON.stringify(doc);
})();

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  haveRecords = await importRealAdvisories(server);
  if (!haveRecords) console.log('notice: ../shared/osv is absent; the SBOM export tests are skipped');
  appId = await createApplication(server, 'export-app', 'Export App');
  // A person decided CVE-2023-32681 does not apply to requests here.
  const override = await server.request('POST', `/api/v2/securityOverrides/application/${appId}`, {
    body: { referenceId: 'CVE-2023-32681', status: 'Not Applicable', comment: 'no proxies', packageUrl: REQUESTS },
  });
  expect(override.status, override.text).toBe(200);
  scanId = (await scanAndWait(server, appId, SBOM, { stage: 'build' })).scanId;
  OUTSIDER = await userWithRole(server, 'outsider', null);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const cdx = (version: string, target: string, accept?: string, auth?: [string, string] | null) =>
  server.request('GET', `/api/v2/cycloneDx/${version}/${appId}/${target}`, { headers: accept ? { accept } : {}, auth });
const spdx = (target: string, query = '', auth?: [string, string] | null) => server.request('GET', `/api/v2/spdx/${appId}/${target}${query}`, { auth });

async function reportTime(): Promise<string> {
  const row = await server.ctx.store.db.selectFrom('reports').select('created_at').where('id', '=', scanId).executeTakeFirstOrThrow();
  return row.created_at;
}

async function cycloneDxErrors(json: string, version: string): Promise<unknown> {
  return new CDX.Validation.JsonStrictValidator(version as CDX.Spec.Version).validate(json);
}

/** Errors of the official CycloneDX XSD (the library's validator, on libxmljs2), or null. */
async function cycloneDxXmlErrors(xml: string, version: string): Promise<unknown> {
  return new CDX.Validation.XmlValidator(version as CDX.Spec.Version).validate(xml);
}

interface Evaluated {
  components: Map<string, { hash: string; licenses: string[] }>;
  issues: Set<string>;
  analyses: Map<string, string | undefined>;
  tree: unknown;
}

/** What a report found: components by package URL (else display name), their issues and the tree. */
async function evaluated(publicId: string, reportId: string): Promise<Evaluated> {
  const raw = await server.request('GET', `/api/v2/applications/${publicId}/reports/${reportId}/raw`);
  expect(raw.status, raw.text).toBe(200);
  const components = new Map<string, { hash: string; licenses: string[] }>();
  const issues = new Set<string>();
  const analyses = new Map<string, string | undefined>();
  for (const c of raw.body.components) {
    const key = c.packageUrl ?? c.displayName;
    components.set(key, { hash: c.hash, licenses: c.licenseData.declaredLicenses.map((l: { licenseId: string }) => l.licenseId) });
    for (const i of c.securityData.securityIssues) {
      issues.add(`${key} ${i.reference}`);
    }
  }
  const application = await server.ctx.store.db.selectFrom('reports').select('application_id').where('id', '=', reportId).executeTakeFirstOrThrow();
  for (const c of (await getReport(server.ctx, application.application_id, reportId)).data.components) {
    for (const i of c.securityIssues) analyses.set(`${c.packageUrl ?? c.displayName} ${i.reference}`, i.analysis?.state);
  }
  const tree = await server.request('GET', `/api/v2/applications/${publicId}/reports/${reportId}/dependencyTree`);
  return { components, issues, analyses, tree: tree.body };
}

/** Submits an exported SBOM to a new application and compares what it evaluates to with the original. */
async function roundTrip(publicId: string, text: string, contentType: string, source = 'cyclonedx') {
  const id = await createApplication(server, publicId);
  const again = await scanAndWait(server, id, text, { stage: 'build', contentType, source });
  const before = await evaluated('export-app', scanId);
  const after = await evaluated(publicId, again.scanId);
  expect([...after.components.keys()].sort()).toEqual([...before.components.keys()].sort());
  for (const [key, c] of before.components) {
    expect(after.components.get(key)?.licenses, key).toEqual(c.licenses);
    expect(after.components.get(key)?.hash, key).toBe(c.hash);
  }
  expect([...after.issues].sort()).toEqual([...before.issues].sort());
  expect(after.tree).toEqual(before.tree);
  return after;
}

describe('the report as an Sbom (reportSbom)', () => {
  const issue = (status: string, analysis?: ReportSecurityIssue['analysis']): ReportSecurityIssue => ({
    reference: 'CVE-2021-44228', aliases: [], source: 'cve', url: 'https://osv.dev/vulnerability/CVE-2021-44228',
    severity: 10, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', cwe: 'CWE-502', status, ...(analysis ? { analysis } : {}),
  });
  const component = (purl: string, issues: ReportSecurityIssue[]): ReportComponent => ({
    hash: '0123456789abcdef0123', packageUrl: purl, displayName: purl, matchState: 'exact', proprietary: false, labelIds: [], violations: [],
    licenseData: { declaredLicenses: [], observedLicenses: [], effectiveLicenses: [{ licenseId: 'Apache-2.0', licenseName: 'Apache-2.0' }], overriddenLicenses: [], status: 'Overridden', effectiveLicenseThreats: [] },
    securityIssues: issues,
  });
  const data = (components: ReportComponent[]): ReportData => ({
    version: 1, components,
    summary: { outcome: 'none', totalComponents: components.length, knownComponents: components.length, affectedComponents: 0, openViolations: { critical: 0, severe: 0, moderate: 0 }, componentsAffected: { critical: 0, severe: 0, moderate: 0 }, waivedViolations: 0 },
  });
  const APP = { id: 'a', publicId: 'app', name: 'App' };

  it.each([
    ['Not Applicable', undefined, { state: 'not_affected' }],
    ['Acknowledged', undefined, { state: 'in_triage' }],
    ['Confirmed', undefined, { state: 'exploitable' }],
    ['Open', undefined, undefined],
    ['Open', { state: 'not_affected', justification: 'code_not_reachable', response: 'will_not_fix, update' }, { state: 'not_affected', justification: 'code_not_reachable', response: ['will_not_fix', 'update'], detail: undefined }],
    ['Confirmed', { state: 'not_affected' }, { state: 'exploitable' }],
  ] as const)('status %s (scanned VEX %j) → analysis %j', (status, analysis, expected) => {
    const r = reportSbom(APP, 'r', '2026-01-01T00:00:00.000Z', data([component('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', [issue(status, analysis)])]));
    expect(r.vulnerabilities[0].analysis).toEqual(expected);
  });

  it('one entry per id and analysis; ratings with the CVSS band, CWE numbers; effective licenses that differ', () => {
    const a = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1';
    const b = 'pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1';
    const c = 'pkg:maven/org.apache.logging.log4j/log4j-jul@2.14.1';
    const r = reportSbom(APP, 'r', '2026-01-01T00:00:00.000Z', data([component(a, [issue('Open')]), component(b, [issue('Open')]), component(c, [issue('Not Applicable')])]));
    expect(r.vulnerabilities.map((v) => v.affects)).toEqual([[a, b], [c]]);
    expect(r.vulnerabilities[0]).toMatchObject({ id: 'CVE-2021-44228', cwes: [502], ratings: [{ score: 10, severity: 'critical' }] });
    expect(r.effective.get(a)).toBe('Apache-2.0');
    expect(r.sbom.components[0]).toMatchObject({ group: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1', purl: a });
    expect(r.sbom.components[0].license).toBeUndefined();
    const json = JSON.parse(cycloneDxOf(r, '1.6', 'json'));
    expect(json.components[0].properties).toEqual([{ name: 'tollgate:license:effective', value: 'Apache-2.0' }]);
  });

  it.each([
    [0, 'none'], [3.9, 'low'], [4, 'medium'], [6.9, 'medium'], [7, 'high'], [8.9, 'high'], [9, 'critical'], [undefined, undefined],
  ] as const)('CVSS %s is %s', (score, severity) => {
    expect(cvssSeverity(score)).toBe(severity);
  });
});

describe('SBOM export', () => {
  it('found what the export is about (real advisories, an override)', async () => {
    if (!haveRecords) return;
    const before = await evaluated('export-app', scanId);
    expect(before.components.size).toBe(6);
    expect(before.issues).toContain(`${REQUESTS} CVE-2023-32681`);
    expect(before.issues).toContain('pkg:pypi/sentry@23.5.1 CVE-2023-36826');
    expect(before.issues).toContain('pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b CVE-2022-27664');
  });

  it.each(['1.2', '1.3'])('CycloneDX %s JSON validates against the official schema (components and edges, no vulnerabilities)', async (version) => {
    if (!haveRecords) return;
    const res = await cdx(version, `reports/${scanId}`, 'application/json');
    expect(res.status, res.text).toBe(200);
    expect(await cycloneDxErrors(res.text, version)).toBeNull();
    expect(res.body.specVersion).toBe(version);
    expect(res.body.components).toHaveLength(6);
    expect(res.body.vulnerabilities).toBeUndefined();
    const xml = await cdx(version, `reports/${scanId}`, 'application/xml');
    expect(xml.status).toBe(200);
    expect(xml.text).toContain(`<bom xmlns="http://cyclonedx.org/schema/bom/${version}"`);
    expect(await cycloneDxXmlErrors(xml.text, version)).toBeNull();
  });

  it.each(['1.4', '1.5', '1.6'])('CycloneDX %s JSON validates against the official schema and says what the report says', async (version) => {
    if (!haveRecords) return;
    const res = await cdx(version, `reports/${scanId}`, 'application/json');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="export-app-${scanId}-cyclonedx-${version}\\.json"`));
    expect(await cycloneDxErrors(res.text, version)).toBeNull();
    const bom = res.body;
    expect(bom.specVersion).toBe(version);
    expect(bom.metadata.timestamp).toBe(await reportTime());
    expect(bom.metadata.component).toMatchObject({ type: 'application', name: 'Export App', 'bom-ref': 'application:export-app' });
    const requests = bom.components.find((c: { purl?: string }) => c.purl === REQUESTS);
    // Hashes and description come from the scanned SBOM (the report keeps a truncated SHA-1 only).
    expect(requests).toMatchObject({
      name: 'requests',
      version: '2.19.0',
      description: 'Python HTTP for Humans.',
      hashes: [
        { alg: 'SHA-1', content: SHA1 },
        { alg: 'SHA-256', content: SHA256 },
      ],
    });
    const mystery = bom.components.find((c: { name: string }) => c.name === 'mystery');
    expect(mystery).toMatchObject({ name: 'mystery', version: '0.1' });
    expect(mystery.purl).toBeUndefined();
    expect(requests.licenses[0].license.id).toBe('Apache-2.0');
    if (version === '1.6') expect(requests.licenses[0].license.acknowledgement).toBe('declared');
    const lib = bom.components.find((c: { purl?: string }) => c.purl === 'pkg:maven/org.example/lib@1.0?type=jar');
    expect(lib).toMatchObject({ group: 'org.example', name: 'lib', licenses: [{ expression: 'MIT OR Apache-2.0' }] });
    expect(bom.dependencies.find((d: { ref: string }) => d.ref === 'application:export-app').dependsOn).toHaveLength(4);
    expect(bom.dependencies.find((d: { ref: string }) => d.ref === REQUESTS).dependsOn).toEqual(['pkg:pypi/sentry@23.5.1']);

    const sentry = bom.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2023-36826');
    expect(sentry.affects).toEqual([{ ref: 'pkg:pypi/sentry@23.5.1' }]);
    expect(sentry.ratings[0]).toMatchObject({ score: 6.5, severity: 'medium', method: 'CVSSv31' });
    expect(sentry.ratings[0].vector).toMatch(/AV:N/);
    expect(sentry.analysis).toBeUndefined();
    const net = bom.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2022-27664');
    expect(net.description).toBe('Denial of service in net/http and golang.org/x/net/http2');
    expect(net.recommendation).toBe('Upgrade to version 0.0.0-20220906165146-f3363e06e74c or later');
    // The override: Not Applicable → not_affected.
    const overridden = bom.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2023-32681');
    expect(overridden.analysis).toEqual({ state: 'not_affected' });
  });

  it('writes XML by default and when asked; 406 for a media type it cannot write', async () => {
    if (!haveRecords) return;
    for (const accept of [undefined, 'application/xml', '*/*']) {
      const res = await cdx('1.5', `reports/${scanId}`, accept);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.text).toContain('<bom xmlns="http://cyclonedx.org/schema/bom/1.5"');
    }
    for (const version of ['1.4', '1.5', '1.6']) {
      const res = await cdx(version, `reports/${scanId}`, 'application/xml');
      expect(await cycloneDxXmlErrors(res.text, version), version).toBeNull();
      expect(res.text).toContain('not_affected');
    }
    const html = await cdx('1.5', `reports/${scanId}`, 'text/html');
    expect(html.status).toBe(406);
    expect(html.text).toMatch(/application\/json or application\/xml/);
    expect(preferredFormat('application/xml;q=0.5, application/json')).toBe('json');
    expect(preferredFormat('application/json;q=0')).toBeUndefined();
  });

  it('exports the newest report of a stage; 404 when the stage has none, 400 for unknown stages and versions', async () => {
    if (!haveRecords) return;
    const byStage = await cdx('1.6', 'stages/build', 'application/json');
    expect(byStage.status, byStage.text).toBe(200);
    expect(byStage.body.components).toHaveLength(6);
    expect(byStage.body.metadata.properties).toEqual([{ name: 'tollgate:reportId', value: scanId }]);

    const none = await cdx('1.6', 'stages/release', 'application/json');
    expect(none.status).toBe(404);
    expect(none.text).toMatch(/no report at stage release/);
    const badStage = await cdx('1.6', 'stages/nowhere', 'application/json');
    expect(badStage.status).toBe(400);
    expect(badStage.text).toMatch(/Unknown stage "nowhere"/);
    for (const [version, message] of [
      ['1.1', /does not write CycloneDX version "1.1": use 1.2, 1.3, 1.4, 1.5, 1.6/],
      ['2.0', /Unknown CycloneDX version "2.0"/],
    ] as const) {
      const res = await cdx(version, `reports/${scanId}`, 'application/json');
      expect(res.status).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await cdx('1.6', 'reports/0123456789abcdef0123456789abcdef', 'application/json')).status).toBe(404);
    const unknownApp = await server.request('GET', `/api/v2/cycloneDx/1.6/no-such-app/reports/${scanId}`);
    expect(unknownApp.status).toBe(404);
    expect((await server.request('GET', `/api/v2/spdx/no-such-app/reports/${scanId}`)).status).toBe(404);
    expect((await spdx('stages/release')).status).toBe(404);
    expect((await spdx('reports/0123456789abcdef0123456789abcdef')).status).toBe(404);
  });

  it('needs READ on the application', async () => {
    if (!haveRecords) return;
    expect((await cdx('1.6', `reports/${scanId}`, 'application/json', null)).status).toBe(401);
    expect((await cdx('1.6', `reports/${scanId}`, 'application/json', OUTSIDER)).status).toBe(403);
    expect((await spdx(`reports/${scanId}`, '', null)).status).toBe(401);
    expect((await spdx(`reports/${scanId}`, '', OUTSIDER)).status).toBe(403);
    expect((await spdx('stages/build', '', OUTSIDER)).status).toBe(403);
    expect((await spdx(`reports/${scanId}`, '?format=xml', null)).status).toBe(401);
    expect((await spdx(`reports/${scanId}`, '?format=xml', OUTSIDER)).status).toBe(403);
    expect((await spdx('stages/build', '?format=xml', OUTSIDER)).status).toBe(403);
  });

  it('SPDX 2.3 JSON is valid by the specification and carries licenses, dependencies and advisories', async () => {
    if (!haveRecords) return;
    const res = await spdx(`reports/${scanId}`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(checkSpdx23(res.body)).toEqual([]);
    const doc = res.body;
    const pkg = (purl: string) => doc.packages.find((p: { externalRefs?: Array<{ referenceLocator: string }> }) => p.externalRefs?.some((r) => r.referenceLocator === purl));
    const requests = pkg(REQUESTS);
    expect(requests).toMatchObject({ name: 'requests', versionInfo: '2.19.0', licenseDeclared: 'Apache-2.0', licenseConcluded: 'Apache-2.0' });
    expect(requests.checksums).toEqual([
      { algorithm: 'SHA1', checksumValue: SHA1 },
      { algorithm: 'SHA256', checksumValue: SHA256 },
    ]);
    expect(requests.externalRefs.map((r: { referenceType: string }) => r.referenceType)).toContain('advisory');
    expect(pkg('pkg:maven/org.example/lib@1.0?type=jar').name).toBe('org.example:lib');
    expect(doc.relationships).toContainEqual({ spdxElementId: requests.SPDXID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: pkg('pkg:pypi/sentry@23.5.1').SPDXID });

    const byStage = await spdx('stages/build', '?spdxVersion=2.2');
    expect(byStage.status, byStage.text).toBe(200);
    expect(byStage.body.spdxVersion).toBe('SPDX-2.2');
    expect(byStage.body.packages.some((p: { primaryPackagePurpose?: string }) => p.primaryPackagePurpose)).toBe(false);
  });

  it('SPDX XML (format=xml): the same document as the JSON, valid by the specification', async () => {
    if (!haveRecords) return;
    const json = await spdx(`reports/${scanId}`);
    const res = await spdx(`reports/${scanId}`, '?format=xml');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="export-app-${scanId}-spdx-2.3.xml"`);
    expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n  <spdxVersion>SPDX-2.3</spdxVersion>\n')).toBe(true);
    expect(XMLValidator.validate(res.text)).toBe(true);
    const doc: Json = spdxXmlDocument(res.text);
    expect(checkSpdx23(doc)).toEqual([]);
    // Each export is a new document (its namespace is unique); everything else is the JSON's.
    expect(doc.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\//);
    expect(doc.documentNamespace).not.toBe(json.body.documentNamespace);
    expect({ ...doc, documentNamespace: '' }).toEqual({ ...json.body, documentNamespace: '' });
    const carried = (d: { packages: Array<Record<string, unknown>> }) =>
      d.packages.map((p) => ({ id: p.SPDXID, name: p.name, declared: p.licenseDeclared, concluded: p.licenseConcluded, checksums: p.checksums, refs: p.externalRefs }));
    expect(carried(doc as never)).toEqual(carried(json.body));
    expect(doc.relationships).toEqual(json.body.relationships);
    const requests = doc.packages.find((p: { externalRefs?: Array<{ referenceLocator: string }> }) => p.externalRefs?.some((r) => r.referenceLocator === REQUESTS));
    expect(requests).toMatchObject({ licenseDeclared: 'Apache-2.0', checksums: [{ algorithm: 'SHA1', checksumValue: SHA1 }, { algorithm: 'SHA256', checksumValue: SHA256 }] });
    expect(requests.externalRefs.map((r: { referenceType: string }) => r.referenceType)).toEqual(expect.arrayContaining(['purl', 'advisory']));

    // Any case; by stage; SPDX 2.2 too.
    const byStage = await spdx('stages/build', '?format=XML&spdxVersion=2.2');
    expect(byStage.status, byStage.text).toBe(200);
    expect(byStage.headers.get('content-type')).toMatch(/^application\/xml/);
    const old: Json = spdxXmlDocument(byStage.text);
    expect(old.spdxVersion).toBe('SPDX-2.2');
    expect(old.packages).toHaveLength(json.body.packages.length);
    expect(old.packages.some((p: { primaryPackagePurpose?: string }) => p.primaryPackagePurpose)).toBe(false);
  });

  it('SPDX: unknown formats and versions are a 400 with a clear message; generateCycloneDx gives both, as tar.gz, in the format asked for', async () => {
    if (!haveRecords) return;
    for (const [query, message] of [
      ['?format=yaml', /Unknown format "yaml": use json or xml/],
      ['?format=rdf', /Unknown format "rdf": use json or xml/],
      ['?spdxVersion=3.0', /Unknown SPDX version "3.0"/],
      ['?format=xml&spdxVersion=3.0', /Unknown SPDX version "3.0"/],
    ] as const) {
      const res = await spdx(`reports/${scanId}`, query);
      expect(res.status, query).toBe(400);
      expect(res.text).toMatch(message);
    }

    const archive = async (query: string) => {
      const res = await fetch(`${server.url}/api/v2/spdx/${appId}/reports/${scanId}${query}`, {
        headers: { authorization: `Basic ${Buffer.from(ADMIN.join(':')).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      const tar = gunzipSync(Buffer.from(await res.arrayBuffer()));
      const files = new Map<string, string>();
      for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
        const name = tar.subarray(at, at + 100).toString('ascii').replace(/\0.*$/s, '');
        const size = Number.parseInt(tar.subarray(at + 124, at + 136).toString('ascii'), 8);
        files.set(name, tar.subarray(at + 512, at + 512 + size).toString('utf8'));
        at += 512 + Math.ceil(size / 512) * 512;
      }
      return files;
    };
    const files = await archive('?generateCycloneDx=true');
    expect([...files.keys()]).toEqual([`export-app-${scanId}-spdx-2.3.json`, `export-app-${scanId}-cyclonedx-1.6.json`]);
    expect(checkSpdx23(JSON.parse(files.get(`export-app-${scanId}-spdx-2.3.json`)!))).toEqual([]);
    expect(await cycloneDxErrors(files.get(`export-app-${scanId}-cyclonedx-1.6.json`)!, '1.6')).toBeNull();

    const xmlFiles = await archive('?generateCycloneDx=true&format=xml');
    expect([...xmlFiles.keys()]).toEqual([`export-app-${scanId}-spdx-2.3.xml`, `export-app-${scanId}-cyclonedx-1.6.xml`]);
    expect(checkSpdx23(spdxXmlDocument(xmlFiles.get(`export-app-${scanId}-spdx-2.3.xml`)!))).toEqual([]);
    expect(await cycloneDxXmlErrors(xmlFiles.get(`export-app-${scanId}-cyclonedx-1.6.xml`)!, '1.6')).toBeNull();
  });

  it('round-trips through intake: CycloneDX JSON and XML, SPDX evaluate to the same components and vulnerabilities', async () => {
    if (!haveRecords) return;
    const json = await cdx('1.6', `reports/${scanId}`, 'application/json');
    const after = await roundTrip('again-json', json.text, 'application/json');
    // The VEX statement travels with the SBOM: the new application has no override, yet knows.
    expect(after.analyses.get(`${REQUESTS} CVE-2023-32681`)).toBe('not_affected');
    expect((await readSbom(json.text)).components).toHaveLength(6);

    const xml = await cdx('1.4', `reports/${scanId}`, 'application/xml');
    await roundTrip('again-xml', xml.text, 'application/xml');
    // 1.3 has no vulnerability section: the vulnerabilities are found again from the components.
    const old = await cdx('1.3', `reports/${scanId}`, 'application/json');
    await roundTrip('again-13', old.text, 'application/json');
    const spdxDoc = await spdx(`reports/${scanId}`);
    await roundTrip('again-spdx', spdxDoc.text, 'application/json', 'spdx');
    const spdxXml = await spdx(`reports/${scanId}`, '?format=xml');
    await roundTrip('again-spdx-xml', spdxXml.text, 'application/xml', 'spdx');
  }, 60_000);

  it('refuses hostile or mismatched SPDX XML at intake with a clear 400, storing nothing', async () => {
    const id = await createApplication(server, 'spdx-xml-intake');
    const count = async (table: 'evaluation_requests' | 'reports' | 'jobs') =>
      Number((await server.ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('evaluation_requests'), await count('reports'), await count('jobs')];
    const spdxXml = '<?xml version="1.0"?><Document><spdxVersion>SPDX-2.3</spdxVersion></Document>';
    const valid =
      '<Document><SPDXID>SPDXRef-DOCUMENT</SPDXID><spdxVersion>SPDX-2.3</spdxVersion><name>x</name><dataLicense>CC0-1.0</dataLicense><documentNamespace>https://example.com/x</documentNamespace></Document>';
    for (const [body, source, message] of [
      [
        '<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Document><name>&b;</name></Document>',
        'spdx',
        /DOCTYPE or ENTITY declaration are not accepted/,
      ],
      ['<?xml version="1.0"?><!DOCTYPE Document SYSTEM "file:///etc/passwd"><Document/>', 'spdx', /DOCTYPE or ENTITY declaration are not accepted/],
      [`<Document>${'<packages>'.repeat(1000)}${'</packages>'.repeat(1000)}</Document>`, 'spdx', /nested deeper than/],
      ['<Document><spdxVersion>SPDX-2.3</Document>', 'spdx', /malformed XML/],
      [spdxXml, 'spdx', /missing the required field SPDXID/],
      [valid, 'cyclonedx', /The body is a SPDX document, but the source says cyclonedx/],
    ] as const) {
      const res = await server.request('POST', `/api/v2/scan/applications/${id}/sources/${source}?stageId=build`, { raw: { contentType: 'application/xml', data: body } });
      expect(res.status, `${body.slice(0, 50)} → ${res.text}`).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect([await count('evaluation_requests'), await count('reports'), await count('jobs')]).toEqual(before);
  });
});

/** Real SBOMs of public projects (Composer, Maven): their exports (CycloneDX, SPDX JSON and XML) are valid and read back the same. */
const REAL = ['fixtures/sbom/cyclonedx/laravel-7.12.0.1.4.json', 'fixtures/sbom/cyclonedx/dropwizard-1.3.15.json'];
describe.each(REAL)('export of a real SBOM\'s evaluation: %s', (path) => {
  it('is valid CycloneDX 1.6 and SPDX 2.3 (JSON, XML), and evaluates to the same components again', async () => {
    if (!sharedFile(path)) {
      console.log(`notice: ../shared/${path} is absent; skipped`);
      return;
    }
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '').replace(/[^a-z0-9-]/gi, '-');
    const id = await createApplication(server, name);
    const text = readShared(path).toString('utf8');
    const { scanId: reportId } = await scanAndWait(server, id, text, { stage: 'build' });
    const json = await server.request('GET', `/api/v2/cycloneDx/1.6/${id}/reports/${reportId}`, { headers: { accept: 'application/json' } });
    expect(json.status, json.text).toBe(200);
    expect(await cycloneDxErrors(json.text, '1.6')).toBeNull();
    const spdxDoc = await server.request('GET', `/api/v2/spdx/${id}/reports/${reportId}`);
    expect(spdxDoc.status, spdxDoc.text).toBe(200);
    expect(checkSpdx23(spdxDoc.body)).toEqual([]);
    const spdxXml = await server.request('GET', `/api/v2/spdx/${id}/reports/${reportId}?format=xml`);
    expect(spdxXml.status, spdxXml.text).toBe(200);
    expect(checkSpdx23(spdxXmlDocument(spdxXml.text))).toEqual([]);

    const before = await evaluated(name, reportId);
    for (const [suffix, body, source, contentType] of [
      ['cdx', json.text, 'cyclonedx', 'application/json'],
      ['spdx', spdxDoc.text, 'spdx', 'application/json'],
      ['spdx-xml', spdxXml.text, 'spdx', 'application/xml'],
    ] as const) {
      const againId = await createApplication(server, `${name}-${suffix}`);
      const again = await scanAndWait(server, againId, body, { stage: 'build', source, contentType });
      const after = await evaluated(`${name}-${suffix}`, again.scanId);
      expect([...after.components.keys()].sort(), suffix).toEqual([...before.components.keys()].sort());
      for (const [key, c] of before.components) {
        expect(after.components.get(key)?.hash, `${suffix} ${key}`).toBe(c.hash);
        expect(after.components.get(key)?.licenses, `${suffix} ${key}`).toEqual(c.licenses);
      }
      expect(after.tree, suffix).toEqual(before.tree);
    }
    console.log(`${name}: ${before.components.size} components exported and read back`);
  }, 60_000);
});
