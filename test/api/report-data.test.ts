import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { sharedFile } from '../helpers/shared.js';
import { userWithRole } from '../helpers/users.js';
import { extractOsvRecords } from '../evaluation/osv-fixtures.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';

/**
 * End to end over HTTP: real PyPI advisories (only the records of the SBOM's packages, taken from
 * ../shared/osv/PyPI-all.zip), a CycloneDX SBOM in, the report data and page out.
 */
const zip = sharedFile('osv/PyPI-all.zip');
let server: TestServer;
let appId: string;
let scanId: string;
let result: Record<string, unknown>;
let dir: string | undefined;

const PACKAGES = ['langchain', 'mkdocs', 'jinja2', 'six'];
const SBOM = cycloneDxJson(
  [
    { name: 'langchain', version: '0.0.170', purl: 'pkg:pypi/langchain@0.0.170', license: 'MIT' },
    { name: 'jinja2', version: '2.10', purl: 'pkg:pypi/Jinja2@2.10', license: 'BSD-3-Clause' },
    { name: 'mkdocs', version: '1.2.2', purl: 'pkg:pypi/mkdocs@1.2.2', license: 'BSD-2-Clause' },
    { name: 'six', version: '1.16.0', purl: 'pkg:pypi/six@1.16.0', license: 'MIT' },
    { name: 'in-house-<script>alert(1)</script>', version: '1.0' },
  ],
  { direct: ['langchain', 'mkdocs', 'in-house-<script>alert(1)</script>'], dependsOn: { mkdocs: ['jinja2', 'six'] } },
);

beforeAll(async () => {
  if (!zip) return;
  server = await startTestServer({ registries: { offline: true } });
  const extracted = await extractOsvRecords(zip, PACKAGES);
  dir = extracted.dir;
  const summary = await importOsvSource(server.ctx, dir);
  expect(summary.rejected).toEqual([]);
  appId = await createApplication(server, 'py-app', 'Python <App>');
  ({ result, scanId } = await scanAndWait(server, appId, SBOM, { stage: 'build' }));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: report bodies are checked against the reference schema, then read freely.
type Raw = { components: Array<Record<string, any>>; matchSummary: Record<string, number> };

describe.skipIf(!zip)('a scan of a Python SBOM against the real PyPI advisories', () => {
  it('fails nothing at build but warns for the critical vulnerabilities', () => {
    expect(result).toMatchObject({ isError: false, policyAction: 'Warning' });
    expect((result.openPolicyViolations as { critical: number }).critical).toBeGreaterThan(0);
    expect((result.componentsAffected as { critical: number }).critical).toBeGreaterThanOrEqual(2);
  });

  it('raw: the components, their vulnerabilities with scores, fixes and statuses, dependency data', async () => {
    const raw = await server.request<Raw>('GET', `/api/v2/applications/py-app/reports/${scanId}/raw`);
    expect(raw.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
    expect(raw.body.matchSummary).toEqual({ knownComponentCount: 4, totalComponentCount: 5 });
    const byName = new Map(raw.body.components.map((c) => [c.displayName, c]));
    const langchain = raw.body.components.find((c) => c.packageUrl === 'pkg:pypi/langchain@0.0.170')!;
    expect(langchain).toMatchObject({
      componentIdentifier: { format: 'pypi', coordinates: { name: 'langchain', version: '0.0.170' } },
      matchState: 'exact',
      identificationSource: 'Package Manifest',
      dependencyData: { directDependency: true, innerSource: false, parentComponentPurls: [] },
    });
    const refs = langchain.securityData.securityIssues.map((i: { reference: string }) => i.reference);
    // PYSEC-2023-151 (CVE-2023-36281, fixed in 0.0.171) affects 0.0.170; reports name the CVE.
    expect(refs).toContain('CVE-2023-36281');
    const issue = langchain.securityData.securityIssues.find((i: { reference: string }) => i.reference === 'CVE-2023-36281');
    // The vector is PYSEC-2023-151's own, the record that matched.
    expect(issue).toMatchObject({ source: 'cve', severity: 9.8, threatCategory: 'critical', status: 'Open', cvssVectorSource: 'osv:PYSEC-2023-151' });
    expect(issue.cvssVector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');

    const jinja = raw.body.components.find((c) => c.packageUrl === 'pkg:pypi/jinja2@2.10')!;
    expect(jinja.originalPurl).toBe('pkg:pypi/Jinja2@2.10');
    expect(jinja.dependencyData).toMatchObject({ directDependency: false, parentComponentPurls: ['pkg:pypi/mkdocs@1.2.2'] });
    expect(jinja.securityData.securityIssues.map((i: { reference: string }) => i.reference)).toEqual(
      expect.arrayContaining(['CVE-2019-10906', 'CVE-2020-28493']),
    );
    const six = raw.body.components.find((c) => c.packageUrl === 'pkg:pypi/six@1.16.0')!;
    expect(six.securityData.securityIssues).toEqual([]);
    expect(six.licenseData.effectiveLicenses).toEqual([{ licenseId: 'MIT', licenseName: 'MIT' }]);
    const unknown = [...byName.values()].find((c) => c.matchState === 'unknown')!;
    expect(unknown.packageUrl).toBeUndefined();
    expect(unknown.hash).toMatch(/^[0-9a-f]{20}$/);
  });

  it('the older report URL redirects to raw', async () => {
    const r = await fetch(`${server.url}/api/v2/applications/py-app/reports/${scanId}`, {
      redirect: 'manual',
      headers: { authorization: `Basic ${Buffer.from('admin:admin123').toString('base64')}` },
    });
    expect(r.status).toBe(307);
    expect(r.headers.get('location')).toBe(`/api/v2/applications/py-app/reports/${scanId}/raw`);
  });

  it('policy: each component’s violations, with reasons naming the vulnerability', async () => {
    const policy = await server.request('GET', `/api/v2/applications/py-app/reports/${scanId}/policy?includeViolationTimes=true`);
    expect(policy.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/policy', 200, policy.body);
    expect(policy.body.application).toMatchObject({ id: appId, publicId: 'py-app', name: 'Python <App>', organizationId: 'ROOT_ORGANIZATION_ID' });
    expect(policy.body.initiator).toBe('admin');
    const langchain = policy.body.components.find((c: { packageUrl?: string }) => c.packageUrl === 'pkg:pypi/langchain@0.0.170');
    const critical = langchain.violations.find((v: { policyName: string }) => v.policyName === 'Security-Critical');
    expect(critical).toMatchObject({ policyThreatLevel: 10, policyThreatCategory: 'SECURITY', waived: false, grandfathered: false });
    expect(critical.openTime).toBeTruthy();
    const reasons = critical.constraints.flatMap((c: { conditions: Array<{ conditionReason: string }> }) => c.conditions.map((x) => x.conditionReason));
    expect(reasons.join('\n')).toMatch(/CVE-2023-36281/);
    const unknown = policy.body.components.find((c: { matchState: string }) => c.matchState === 'unknown');
    expect(unknown.violations.map((v: { policyName: string }) => v.policyName)).toContain('Component-Unknown');
    const six = policy.body.components.find((c: { packageUrl?: string }) => c.packageUrl === 'pkg:pypi/six@1.16.0');
    expect(six.violations).toEqual([]);
  });

  it('dependencyTree: direct dependencies with theirs below; a cycle is spelled out once', async () => {
    const tree = await server.request('GET', `/api/v2/applications/py-app/reports/${scanId}/dependencyTree`);
    expect(tree.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/dependencyTree', 200, tree.body);
    const top = tree.body.dependencyTree.children;
    expect(top.map((n: { packageUrl?: string }) => n.packageUrl ?? '(unknown)')).toEqual(['pkg:pypi/langchain@0.0.170', 'pkg:pypi/mkdocs@1.2.2', '(unknown)']);
    const mkdocs = top[1];
    expect(mkdocs).toMatchObject({ direct: true, componentIdentifier: { format: 'pypi', coordinates: { name: 'mkdocs', version: '1.2.2' } } });
    expect(mkdocs.children.map((n: { packageUrl: string; direct: boolean }) => [n.packageUrl, n.direct])).toEqual([
      ['pkg:pypi/jinja2@2.10', false],
      ['pkg:pypi/six@1.16.0', false],
    ]);

    const cyclic = cycloneDxJson(
      [
        { name: 'a', version: '1.0.0', purl: 'pkg:pypi/a@1.0.0' },
        { name: 'b', version: '1.0.0', purl: 'pkg:pypi/b@1.0.0' },
      ],
      { direct: ['a'], dependsOn: { a: ['b'], b: ['a'] } },
    );
    const scan = await scanAndWait(server, appId, cyclic);
    const t = await server.request('GET', `/api/v2/applications/py-app/reports/${scan.scanId}/dependencyTree`);
    expect(t.status).toBe(200);
    expect(t.body.dependencyTree.children).toEqual([
      {
        packageUrl: 'pkg:pypi/a@1.0.0',
        componentIdentifier: { format: 'pypi', coordinates: { name: 'a', version: '1.0.0' } },
        direct: true,
        children: [
          {
            packageUrl: 'pkg:pypi/b@1.0.0',
            componentIdentifier: { format: 'pypi', coordinates: { name: 'b', version: '1.0.0' } },
            direct: false,
            children: [{ packageUrl: 'pkg:pypi/a@1.0.0', componentIdentifier: { format: 'pypi', coordinates: { name: 'a', version: '1.0.0' } }, direct: false, children: [] }],
          },
        ],
      },
    ]);
  });

  it('the report page opens, lists the action, violations and components, and escapes everything', async () => {
    const page = await server.request('GET', new URL((result as { reportHtmlUrl: string }).reportHtmlUrl).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // Its own policy keeps scripts out; no other site may frame it (test/api/security-headers.test.ts).
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // The embeddable variant is the same page for a CI tool to show in a frame: any site may.
    const embeddable = await server.request('GET', `${new URL((result as { reportHtmlUrl: string }).reportHtmlUrl).pathname}/embeddable`);
    expect(embeddable.status).toBe(200);
    expect(embeddable.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *");
    expect(embeddable.headers.get('x-frame-options')).toBeNull();
    expect(embeddable.text).toBe(page.text);
    expect(page.text).toContain('Policy action: <span class="action Warning">Warning</span>');
    expect(page.text).toContain('Security-Critical');
    expect(page.text).toContain('langchain');
    // The first fixed version above 0.0.170 among the records' ranges.
    expect(page.text).toContain('CVE-2023-36281 <span class="muted">9.8 · osv:PYSEC-2023-151</span> fixed in 0.0.171');
    expect(page.text).toContain('Python &#60;App&#62;');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&#60;script&#62;');
    expect((await server.request('GET', new URL((result as { reportHtmlUrl: string }).reportHtmlUrl).pathname, { auth: null })).status).toBe(401);
    const latest = await server.request('GET', '/ui/links/application/py-app/latestReport');
    expect(latest.status).toBe(200);
  });

  it('reads a lockfile through ?fileName= (a Tollgate extension) the same way', async () => {
    const requirements = 'Jinja2==2.10\nlangchain==0.0.170 ; python_version >= "3.8"\nsix==1.16.0\n';
    const scan = await scanAndWait(server, appId, requirements, { fileName: 'requirements.txt', contentType: 'text/plain', stage: 'release' });
    expect(scan.result.policyAction).toBe('Failure');
    const raw = await server.request<Raw>('GET', `/api/v2/applications/py-app/reports/${scan.scanId}/raw`);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
    const jinja = raw.body.components.find((c) => c.packageUrl === 'pkg:pypi/jinja2@2.10')!;
    expect(jinja.securityData.securityIssues.map((i: { reference: string }) => i.reference)).toContain('CVE-2019-10906');

    // The diff between the SBOM scan and this one: mkdocs and the unknown component are gone, and
    // requirements.txt declares no licenses.
    const diffPath = `/api/v2/applications/py-app/reports/policyViolations/diff?fromCommit=aaa&toCommit=bbb&fromPolicyEvaluationId=${scanId}&toPolicyEvaluationId=${scan.scanId}`;
    const diff = await server.request('GET', diffPath);
    expect(diff.status, diff.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/policyViolations/diff', 200, diff.body);
    expect(diff.body.fromCommit).toMatchObject({ commitHash: 'aaa', scanId });
    expect(diff.body.toCommit).toMatchObject({ commitHash: 'bbb', scanId: scan.scanId });
    const names = (list: Array<{ component: { displayName: string }; policyName: string }>) => list.map((v) => `${v.policyName} ${v.component.displayName}`);
    expect(names(diff.body.removedViolations).some((n) => n.startsWith('Component-Unknown'))).toBe(true);
    expect(names(diff.body.addedViolations).sort()).toEqual(['License-None jinja2 2.10', 'License-None langchain 0.0.170', 'License-None six 1.16.0']);
    expect(names(diff.body.sameViolations)).toContain('Security-Critical langchain 0.0.170');
    const noIds = await server.request('GET', '/api/v2/applications/py-app/reports/policyViolations/diff?fromCommit=aaaa&toCommit=bbbb');
    expect(noIds.status).toBe(404);
    expect(noIds.text).toMatch(/No evaluation of py-app is linked to commit aaaa/);
    const notHex = await server.request('GET', '/api/v2/applications/py-app/reports/policyViolations/diff?fromCommit=zz%20top&toCommit=bbb');
    expect(notHex.status).toBe(400);

    const bad = await server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx?fileName=notes.txt`, { raw: { contentType: 'text/plain', data: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/cannot read "notes.txt" as a lockfile/);
  });

  it('links scans to commits (?commitHash=, a Tollgate extension) and diffs them by commit', async () => {
    const first = await scanAndWait(server, appId, SBOM, { commitHash: 'A1B2C3D4' });
    const fewer = cycloneDxJson([{ name: 'six', version: '1.16.0', purl: 'pkg:pypi/six@1.16.0', license: 'MIT' }]);
    const second = await scanAndWait(server, appId, fewer, { commitHash: 'e5f6a7b8' });
    const history = await server.request('GET', `/api/v2/reports/applications/${appId}/history?limit=2`);
    expect(history.body.reports.map((r: { scanId: string; commitHash?: string }) => [r.scanId, r.commitHash])).toEqual([
      [second.scanId, 'e5f6a7b8'],
      [first.scanId, 'a1b2c3d4'],
    ]);
    const policy = await server.request('GET', `/api/v2/applications/py-app/reports/${first.scanId}/policy`);
    expect(policy.body.commitHash).toBe('a1b2c3d4');
    const diff = await server.request('GET', '/api/v2/applications/py-app/reports/policyViolations/diff?fromCommit=a1b2c3d4&toCommit=e5f6a7b8');
    expect(diff.status, diff.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/policyViolations/diff', 200, diff.body);
    expect(diff.body.fromCommit.scanId).toBe(first.scanId);
    expect(diff.body.toCommit.scanId).toBe(second.scanId);
    expect(diff.body.addedViolations).toEqual([]);
    expect(diff.body.removedViolations.length).toBeGreaterThan(3);
    const bad = await server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx?commitHash=not-a-commit`, { raw: { contentType: 'application/json', data: SBOM } });
    expect(bad.status).toBe(400);
  });

  it('needs View IQ Elements on the application; unknown reports are 404', async () => {
    const stranger = await userWithRole(server, 'stranger', null);
    const evaluator = await userWithRole(server, 'evaluator', 'Application Evaluator', 'application', appId);
    for (const path of ['raw', 'policy', 'dependencyTree'].map((p) => `/api/v2/applications/py-app/reports/${scanId}/${p}`)) {
      expect((await server.request('GET', path, { auth: null })).status).toBe(401);
      expect((await server.request('GET', path, { auth: stranger })).status).toBe(403);
      expect((await server.request('GET', path, { auth: evaluator })).status).toBe(403);
    }
    expect((await server.request('GET', `/ui/links/application/py-app/report/${scanId}`, { auth: stranger })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/applications/py-app/reports/0123456789abcdef0123456789abcdef/raw')).status).toBe(404);
    expect((await server.request('GET', `/api/v2/applications/nope/reports/${scanId}/policy`)).status).toBe(404);
  });
});
