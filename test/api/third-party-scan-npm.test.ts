import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';

/**
 * Real SBOMs of OWASP Juice Shop's npm dependencies, as CycloneDX 1.4 JSON and 1.3 XML (written by
 * @cyclonedx/bom): intake, identification, licenses and the dependency graph. No npm advisories
 * are in ../shared/osv, so this is about everything but vulnerabilities.
 */
const json = sharedFile('fixtures/sbom/cyclonedx/juice-shop-npm.1.4.json');
const xml = sharedFile('fixtures/sbom/cyclonedx/juice-shop-npm.1.3.xml');
let server: TestServer;
let appId: string;

beforeAll(async () => {
  if (!json || !xml) return;
  server = await startTestServer({ registries: { offline: true } });
  appId = await createApplication(server, 'juice-shop');
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe.skipIf(!json || !xml)('Juice Shop’s npm SBOM', () => {
  it('is evaluated from JSON and from XML alike', async () => {
    const fromJson = await scanAndWait(server, appId, readShared('fixtures/sbom/cyclonedx/juice-shop-npm.1.4.json').toString('utf8'), { stage: 'build' });
    const fromXml = await scanAndWait(server, appId, readShared('fixtures/sbom/cyclonedx/juice-shop-npm.1.3.xml').toString('utf8'), {
      stage: 'build',
      contentType: 'application/xml',
    });
    const rawOf = async (scanId: string) => {
      const raw = await server.request('GET', `/api/v2/applications/juice-shop/reports/${scanId}/raw`);
      expect(raw.status).toBe(200);
      return raw.body;
    };
    const a = await rawOf(fromJson.scanId);
    const b = await rawOf(fromXml.scanId);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, a);
    expect(a.matchSummary.totalComponentCount).toBeGreaterThan(800);
    expect(a.matchSummary.knownComponentCount).toBe(a.matchSummary.totalComponentCount);
    const express = a.components.find((c: { packageUrl?: string }) => c.packageUrl?.startsWith('pkg:npm/express@'));
    expect(express).toMatchObject({ componentIdentifier: { format: 'npm' }, licenseData: { declaredLicenses: [{ licenseId: 'MIT' }] } });
    expect(express.dependencyData.directDependency).toBe(true);
    const transitive = a.components.filter((c: { dependencyData?: { directDependency: boolean } }) => c.dependencyData?.directDependency === false);
    expect(transitive.length).toBeGreaterThan(100);
    expect(transitive[0].dependencyData.parentComponentPurls.length).toBeGreaterThan(0);
    // Both documents list the same packages.
    const purls = (raw: { components: Array<{ packageUrl?: string }> }) => raw.components.map((c) => c.packageUrl).sort();
    expect(new Set(purls(b)).size).toBeGreaterThan(800);
    const common = purls(a).filter((p) => new Set(purls(b)).has(p));
    expect(common.length / a.components.length).toBeGreaterThan(0.9);
  });
});
