import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { readSbom } from '../../src/sbom/read.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { extractOsvRecords } from '../evaluation/osv-fixtures.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';

/**
 * A real SBOM (Proton Mail Bridge 1.8.0, CycloneDX 1.2, written by cyclonedx-gomod) against the
 * real Go vulnerability database, restricted to the records about the SBOM's modules.
 */
const sbomPath = sharedFile('fixtures/sbom/cyclonedx/proton-bridge-1.8.0.json');
const zip = sharedFile('osv/Go-all.zip');
let server: TestServer;
let dir: string | undefined;
let appId: string;
let scan: Awaited<ReturnType<typeof scanAndWait>>;

beforeAll(async () => {
  if (!sbomPath || !zip) return;
  const text = readShared('fixtures/sbom/cyclonedx/proton-bridge-1.8.0.json').toString('utf8');
  const sbom = await readSbom(text, { validate: false });
  const modules = sbom.components.map((c) => (c.purl ?? '').replace(/^pkg:golang\//, '').replace(/@.*$/, '')).filter(Boolean);
  server = await startTestServer({ registries: { offline: true } });
  const extracted = await extractOsvRecords(zip, modules);
  dir = extracted.dir;
  await importOsvSource(server.ctx, dir);
  appId = await createApplication(server, 'proton-bridge');
  scan = await scanAndWait(server, appId, text, { stage: 'release' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!sbomPath || !zip)('Proton Mail Bridge 1.8.0 against the Go vulnerability database', () => {
  it('finds the known vulnerabilities of its old golang.org/x modules', async () => {
    expect(scan.result).toMatchObject({ isError: false });
    const raw = await server.request('GET', `/api/v2/applications/proton-bridge/reports/${scan.scanId}/raw`);
    expect(raw.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
    const text = raw.body.components.find((c: { packageUrl?: string }) => c.packageUrl?.startsWith('pkg:golang/golang.org/x/text@'));
    expect(text).toBeDefined();
    const refs = text.securityData.securityIssues.map((i: { reference: string }) => i.reference);
    // x/text v0.3.5-…: GO-2021-0113 (CVE-2021-38561, out-of-bounds read in language.ParseAcceptLanguage), fixed in 0.3.7.
    expect(refs).toContain('CVE-2021-38561');
    const net = raw.body.components.find((c: { packageUrl?: string }) => c.packageUrl?.startsWith('pkg:golang/golang.org/x/net@'));
    expect(net.securityData.securityIssues.length).toBeGreaterThan(0);
    expect(raw.body.matchSummary.totalComponentCount).toBeGreaterThan(100);
    console.log(
      `proton-bridge: ${raw.body.components.length} components, ${raw.body.components.filter((c: { securityData: { securityIssues: unknown[] } }) => c.securityData.securityIssues.length).length} vulnerable; policy action ${scan.result.policyAction}`,
    );
  });

  it('reports the dependency tree of the Go modules', async () => {
    const tree = await server.request('GET', `/api/v2/applications/proton-bridge/reports/${scan.scanId}/dependencyTree`);
    expect(tree.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/dependencyTree', 200, tree.body);
    expect(tree.body.dependencyTree.children.length).toBeGreaterThan(5);
  });
});
