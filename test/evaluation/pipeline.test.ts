import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryMatcherFor } from '../../src/evaluation/advisories.js';
import { identifySbom } from '../../src/evaluation/identify.js';
import { evaluateComponents } from '../../src/evaluation/pipeline.js';
import type { PreparedApplication } from '../../src/evaluation/prepared.js';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { resetRegistryCircuits } from '../../src/intel/registries/index.js';
import { analyzeDependencies } from '../../src/sbom/graph.js';
import { readSbom } from '../../src/sbom/read.js';
import { applyComponentLabel } from '../../src/services/decisions/component-labels-applied.js';
import { createLabel } from '../../src/services/policies/component-labels.js';
import { saveClaim } from '../../src/services/decisions/component-claims.js';
import { saveLicenseOverride } from '../../src/services/decisions/license-overrides.js';
import { resolveOwner } from '../../src/services/owners/owner.js';
import { prepareApplication } from '../../src/services/evaluation/prepare.js';
import { saveSecurityOverride } from '../../src/services/decisions/security-overrides.js';
import { runRegistryFetches } from '../../src/services/evaluation/registry-fetches.js';
import { encodeNewReport, insertReport } from '../../src/services/reports/reports.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { cycloneDxJson } from './sboms.js';
import { createApplication } from './scan.js';

/**
 * The pipeline with everything it reads for real: OSV records imported into the store (hand-made,
 * in the OSV format), overrides, claims and labels saved through the services, a local HTTP server
 * standing in for the npm registry.
 */
let server: TestServer;
let registry: Server;
const registryHits: string[] = [];
let appId: string;
let osvDir: string;
const actor = { username: 'admin' };

const RECORDS = [
  {
    schema_version: '1.6.0',
    id: 'GHSA-aaaa-bbbb-cccc',
    aliases: ['CVE-2099-0001'],
    modified: '2025-01-01T00:00:00Z',
    published: '2025-01-01T00:00:00Z',
    summary: 'Prototype pollution in vuln-lib',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    database_specific: { cwe_ids: ['CWE-1321'] },
    affected: [
      {
        package: { ecosystem: 'npm', name: 'vuln-lib' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }, { introduced: '2.0.0' }, { fixed: '2.0.5' }] }],
      },
    ],
  },
  {
    schema_version: '1.6.0',
    id: 'GHSA-dddd-eeee-ffff',
    modified: '2025-01-01T00:00:00Z',
    summary: 'Moderate issue',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N' }],
    affected: [{ package: { ecosystem: 'npm', name: 'vuln-lib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
  },
  // As the OpenSSF malicious-packages database publishes them in OSV.
  {
    schema_version: '1.5.0',
    id: 'MAL-2099-1234',
    modified: '2025-01-01T00:00:00Z',
    published: '2025-01-01T00:00:00Z',
    summary: 'Malicious code in evil-lib (npm)',
    details: 'This package steals credentials from the environment on install.',
    affected: [{ package: { ecosystem: 'npm', name: 'evil-lib' }, versions: ['6.6.6'] }],
  },
];

const SHA1 = '0123456789abcdef0123456789abcdef01234567';
const SBOM = cycloneDxJson(
  [
    { name: 'vuln-lib', version: '1.1.0', purl: 'pkg:npm/vuln-lib@1.1.0', license: 'MIT' },
    { name: 'gpl-lib', version: '3.0.0', purl: 'pkg:npm/gpl-lib@3.0.0', license: 'GPL-3.0-only' },
    { name: 'deep-lib', version: '1.0.0', purl: 'pkg:npm/deep-lib@1.0.0', license: 'MIT' },
    { name: 'blob', version: '?', sha1: SHA1 },
  ],
  { direct: ['vuln-lib', 'gpl-lib', 'blob'], dependsOn: { 'gpl-lib': ['deep-lib'], 'deep-lib': ['gpl-lib'] } },
);

async function evaluate(stage: 'build' | 'release' = 'build') {
  const sbom = await readSbom(SBOM);
  const prepared: PreparedApplication = await prepareApplication(server.ctx, appId, await advisoryMatcherFor(server.ctx));
  const evaluation = await evaluateComponents(server.ctx, prepared, identifySbom(sbom), {
    stage,
    dependencies: analyzeDependencies(sbom),
  });
  const byName = (name: string) => evaluation.data.components.find((c) => c.displayName.startsWith(name))!;
  const factsOf = (name: string) => evaluation.facts.find((f) => f.displayName.startsWith(name))!;
  return { ...evaluation, byName, factsOf };
}

beforeAll(async () => {
  registry = createServer((req, res) => {
    registryHits.push(req.url ?? '');
    if (req.url === '/deep-lib') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          name: 'deep-lib',
          'dist-tags': { latest: '1.2.0' },
          versions: { '1.0.0': { license: 'MIT' }, '1.1.0': { license: 'MIT' }, '1.2.0': { license: 'MIT' } },
          time: { '1.0.0': '2020-01-01T00:00:00Z', '1.1.0': '2021-01-01T00:00:00Z', '1.2.0': '2022-01-01T00:00:00Z' },
        }),
      );
    } else if (req.url === '/gpl-lib') {
      // Never answers: only the background fetch waits for it, until registries.timeoutMs.
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const address = registry.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server = await startTestServer({ registries: { npm: { url: `http://127.0.0.1:${port}` }, timeoutMs: 1000 } });
  appId = await createApplication(server, 'pipeline-app');
  osvDir = mkdtempSync(join(tmpdir(), 'tollgate-pipeline-osv-'));
  for (const r of RECORDS) writeFileSync(join(osvDir, `${r.id}.json`), JSON.stringify(r));
  await importOsvSource(server.ctx, osvDir);
});
afterAll(async () => {
  await server?.close();
  registry?.closeAllConnections();
  await new Promise((resolve) => registry?.close(resolve));
  rmSync(osvDir, { recursive: true, force: true });
});

describe('evaluateComponents', () => {
  it('finds vulnerabilities under their canonical ids, scored, with CWE and the first fix', async () => {
    const { byName, factsOf, data } = await evaluate();
    const issues = byName('vuln-lib').securityIssues;
    expect(issues.map((i) => i.reference).sort()).toEqual(['CVE-2099-0001', 'GHSA-dddd-eeee-ffff']);
    const cve = issues.find((i) => i.reference === 'CVE-2099-0001')!;
    expect(cve).toMatchObject({ severity: 9.8, threatCategory: 'critical', cwe: 'CWE-1321', fixVersion: '1.2.0', status: 'Open', source: 'cve' });
    expect(cve.aliases).toContain('GHSA-aaaa-bbbb-cccc');
    expect(issues.find((i) => i.reference === 'GHSA-dddd-eeee-ffff')!.fixVersion).toBeUndefined();
    expect(factsOf('vuln-lib').vulnerabilities.find((v) => v.refId === 'CVE-2099-0001')!.fixVersion).toBe('1.2.0');
    expect(byName('vuln-lib').violations.map((v) => v.policyName)).toContain('Security-Critical');
    expect(data.summary.outcome).toBe('warn');
  });

  it('files a malicious package’s record (MAL-) under the malicious_code category', async () => {
    const sbom = await readSbom(cycloneDxJson([{ name: 'evil-lib', version: '6.6.6', purl: 'pkg:npm/evil-lib@6.6.6', license: 'MIT' }]));
    const prepared = await prepareApplication(server.ctx, appId, await advisoryMatcherFor(server.ctx));
    const { facts } = await evaluateComponents(server.ctx, prepared, identifySbom(sbom), { stage: 'build' });
    expect(facts[0].vulnerabilities.map((v) => [v.refId, v.category])).toEqual([['MAL-2099-1234', 'malicious_code']]);
    const { facts: others } = await evaluate();
    expect(others.flatMap((f) => f.vulnerabilities.map((v) => v.category))).not.toContain('malicious_code');
  });

  it('shows the SBOM’s VEX analysis with the issue it speaks about', async () => {
    const doc = JSON.parse(SBOM);
    doc.vulnerabilities = [
      {
        id: 'GHSA-aaaa-bbbb-cccc',
        analysis: { state: 'not_affected', justification: 'code_not_reachable', response: ['will_not_fix'], detail: 'never called' },
        affects: [{ ref: 'pkg:npm/vuln-lib@1.1.0' }],
      },
    ];
    const sbom = await readSbom(JSON.stringify(doc));
    const prepared = await prepareApplication(server.ctx, appId, await advisoryMatcherFor(server.ctx));
    const { data } = await evaluateComponents(server.ctx, prepared, identifySbom(sbom), { stage: 'build', analyses: sbom.vulnerabilities });
    const issue = data.components.find((c) => c.packageUrl === 'pkg:npm/vuln-lib@1.1.0')!.securityIssues.find((i) => i.reference === 'CVE-2099-0001')!;
    expect(issue.analysis).toEqual({ state: 'not_affected', justification: 'code_not_reachable', response: 'will_not_fix', detail: 'never called' });
  });

  it('reads dependency facts from the graph, cycles included', async () => {
    const { factsOf, byName } = await evaluate();
    expect(factsOf('vuln-lib').dependency).toEqual({ direct: true, depth: 1 });
    expect(factsOf('deep-lib').dependency).toEqual({ direct: false, depth: 2 });
    expect(byName('deep-lib').dependency).toEqual({ direct: false, depth: 2, parentPackageUrls: ['pkg:npm/gpl-lib@3.0.0'] });
  });

  it('takes the hash from the SBOM’s SHA-1; a claim makes an unknown component known (Manual)', async () => {
    const before = await evaluate();
    expect(before.byName('blob')).toMatchObject({ hash: SHA1.slice(0, 20), matchState: 'unknown' });
    expect(before.byName('blob').violations.map((v) => v.policyName)).toContain('Component-Unknown');
    await saveClaim(server.ctx, { hash: SHA1.slice(0, 20), packageUrl: 'pkg:npm/our-blob@1.0.0' }, actor);
    const after = await evaluate();
    const claimed = after.data.components.find((c) => c.hash === SHA1.slice(0, 20))!;
    expect(claimed).toMatchObject({ matchState: 'exact', identificationSource: 'Manual', packageUrl: 'pkg:npm/our-blob@1.0.0' });
    expect(claimed.violations.map((v) => v.policyName)).not.toContain('Component-Unknown');
  });

  it('applies security overrides (by alias too) and license overrides of the application', async () => {
    const owner = await resolveOwner(server.ctx.store, 'application', appId);
    await saveSecurityOverride(server.ctx, owner, { referenceId: 'GHSA-aaaa-bbbb-cccc', status: 'NOT_APPLICABLE', packageUrl: 'pkg:npm/vuln-lib@1.1.0' }, actor);
    await saveLicenseOverride(server.ctx, owner, { packageUrl: 'pkg:npm/gpl-lib@3.0.0', licenseIds: ['MIT'], status: 'OVERRIDDEN' }, actor);
    const { byName, factsOf } = await evaluate('release');
    expect(factsOf('vuln-lib').vulnerabilities.find((v) => v.refId === 'CVE-2099-0001')!.status).toBe('NOT_APPLICABLE');
    expect(byName('vuln-lib').securityIssues.find((i) => i.reference === 'CVE-2099-0001')!.status).toBe('Not Applicable');
    expect(byName('vuln-lib').violations.map((v) => v.policyName)).not.toContain('Security-Critical');
    expect(byName('gpl-lib').licenseData).toMatchObject({ status: 'Overridden', effectiveLicenses: [{ licenseId: 'MIT' }], declaredLicenses: [{ licenseId: 'GPL-3.0-only' }] });
    expect(byName('gpl-lib').violations.map((v) => v.policyName)).not.toContain('License-Copyleft');
  });

  it('applies component labels by hash', async () => {
    const labelOwner = await resolveOwner(server.ctx.store, 'application', appId);
    const label = await createLabel(server.ctx, labelOwner, { label: 'Reviewed', description: 'looked at', color: 'light-green' });
    const { byName } = await evaluate();
    const owner = await resolveOwner(server.ctx.store, 'application', appId);
    await applyComponentLabel(server.ctx, owner, byName('vuln-lib').hash, 'Reviewed', actor);
    const after = await evaluate();
    expect(after.factsOf('vuln-lib').labelIds).toEqual([label.id]);
  });

  it('reads registry facts from the cache only; the background fetch fills it, and a registry that fails leaves them unknown, saying why', async () => {
    resetRegistryCircuits();
    registryHits.length = 0;
    const first = await evaluate();
    expect(registryHits).toEqual([]);
    expect(first.factsOf('deep-lib').ageInDays).toBeUndefined();
    expect(first.byName('deep-lib').unknownFacts).toEqual(['age', 'latest', 'versionDistance'].map((fact) => ({ fact, reason: 'not yet fetched', registry: 'the npm registry' })));
    // our-blob: the component an earlier test claimed.
    expect(first.registryFetches.map((f) => f.name).sort()).toEqual(['deep-lib', 'gpl-lib', 'our-blob', 'vuln-lib']);

    // The background job's work: deep-lib answers, vuln-lib and our-blob are unknown to the registry,
    // and gpl-lib never answers, so the registry is known down after it.
    const fetched = await runRegistryFetches(server.ctx, { packages: first.registryFetches });
    expect(fetched).toEqual({ packages: 4, fetched: 1, notFound: 2, unreachable: 1, failed: 0 });
    registryHits.length = 0;
    const again = await evaluate();
    expect(registryHits).toEqual([]);
    expect(again.factsOf('deep-lib')).toMatchObject({ isLatest: false, versionDistance: 2 });
    expect(again.factsOf('deep-lib').ageInDays).toBeGreaterThan(365);
    expect(again.byName('deep-lib').unknownFacts).toBeUndefined();
    expect(again.factsOf('gpl-lib').ageInDays).toBeUndefined();
    expect(again.byName('gpl-lib').unknownFacts?.map((u) => u.reason)).toEqual(['registry unreachable', 'registry unreachable', 'registry unreachable']);
    expect(again.byName('vuln-lib').unknownFacts?.map((u) => u.reason)).toEqual(['not in registry', 'not in registry', 'not in registry']);
    // A registry known down is not queued again until its back-off has passed.
    expect(again.registryFetches).toEqual([]);
  });

  it('evaluates 10,000 components in one batch and stores the report as one row', async () => {
    const components = Array.from({ length: 10_000 }, (_, i) => ({
      name: `pkg-${i}`,
      version: '1.0.0',
      purl: i % 10 === 0 ? `pkg:npm/vuln-lib@1.1.${i}` : `pkg:npm/pkg-${i}@1.0.0`,
      license: i % 7 === 0 ? 'GPL-3.0-only' : 'MIT',
    }));
    // Intake checks the whole document against the CycloneDX schema too (linear since uniqueItems is not compared pairwise).
    const sbom = await readSbom(cycloneDxJson(components));
    const ids = identifySbom(sbom);
    const deps = analyzeDependencies(sbom);
    const prepared = await prepareApplication(server.ctx, appId, await advisoryMatcherFor(server.ctx));
    const started = performance.now();
    const evaluation = await evaluateComponents(server.ctx, prepared, ids, { stage: 'build', dependencies: deps });
    const evaluated = performance.now();
    const encoded = await encodeNewReport({ applicationId: appId, stage: 'build', source: 'cyclonedx', inputRequestId: null, data: evaluation.data });
    const row = await server.ctx.store.db.transaction().execute((trx) => insertReport(trx, server.ctx, encoded));
    const stored = performance.now();
    console.log(`10,000 components: evaluated in ${Math.round(evaluated - started)} ms, stored in ${Math.round(stored - evaluated)} ms`);
    expect(evaluation.data.summary.totalComponents).toBe(10_000);
    const vulnerable = evaluation.data.components.filter((c) => c.securityIssues.length > 0).length;
    expect(vulnerable).toBe(1000);
    expect(row.total_components).toBe(10_000);
    expect(Number(row.affected_components)).toBeGreaterThanOrEqual(1000 + Math.floor(9000 / 7));
  });
});
