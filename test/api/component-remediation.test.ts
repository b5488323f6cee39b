import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetRegistryCircuits } from '../../src/intel/registries/index.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { fixture, ReplayServer } from '../intel/registries/replay-server.js';
import { importRealAdvisories } from './real-advisories.js';

/**
 * Component remediation over HTTP, and waivers that expire when remediation is available. PyPI is
 * a local replay of the recorded `requests` documents (test/fixtures/registries/pypi), with the
 * published versions under the test's control; the advisories are real OSV records
 * (PYSEC-2023-74, CVE-2023-32681: requests before 2.31.0 leak proxy credentials, CVSS 6.1).
 */
let replay: ReplayServer;
let server: TestServer;
let advisories = false;
let org: string;
let app: string;
let waivedApp: string;
let DEV: [string, string];
let NOBODY: [string, string];

const PATH = '/api/v2/components/remediation/{ownerType}/{ownerId}';
const PACKAGE = JSON.parse(fixture('pypi/requests.json'));
const RELEASE = JSON.parse(fixture('pypi/requests-2.31.0.json'));
const ALL_VERSIONS = Object.keys(PACKAGE.releases) as string[];
/** The versions "PyPI" lists now; a release made up here (2.29.0) reuses 2.28.2's files, moved in time. */
let published = new Set(ALL_VERSIONS);
let pypiDown = false;
/** How far the registry circuit breakers' clock is ahead of the real one (a failing registry's back-off passes at once). */
let skew = 0;

function filesOf(version: string) {
  if (version === '2.29.0') return PACKAGE.releases['2.28.2'].map((f: Record<string, unknown>) => ({ ...f, upload_time_iso_8601: '2023-03-01T10:00:00.000000Z' }));
  return PACKAGE.releases[version];
}

/** The project document with only the published versions, the newest of them as `info.version`. */
function projectDocument(): string {
  const versions = [...published].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const releases = Object.fromEntries(versions.map((v) => [v, filesOf(v)]));
  return JSON.stringify({ ...PACKAGE, info: { ...PACKAGE.info, version: versions.at(-1) }, releases });
}

/** A release document (`/pypi/requests/<version>/json`) in the recorded 2.31.0 one's shape. */
function releaseDocument(version: string): string {
  return JSON.stringify({ ...RELEASE, info: { ...RELEASE.info, version }, urls: filesOf(version) });
}

const REQUESTS = (version: string) => `pkg:pypi/requests@${version}`;
const remediation = (ownerType: string, ownerId: string, body: unknown, query = '', auth?: [string, string] | null) =>
  server.request('POST', `/api/v2/components/remediation/${ownerType}/${ownerId}${query}`, { body, auth });
const versionChanges = (body: { remediation: { versionChanges: Array<{ type: string; data: { component: { packageUrl: string } } }> } }) =>
  Object.fromEntries(body.remediation.versionChanges.map((c) => [c.type, c.data.component.packageUrl]));

async function create(path: string, body: unknown): Promise<string> {
  const res = await server.request('POST', path, { body });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

beforeAll(async () => {
  resetRegistryCircuits({ clock: () => new Date(Date.now() + skew) });
  replay = await new ReplayServer().start();
  const json = (body: string) => ({ body, headers: { 'content-type': 'application/json' } });
  replay.route('/pypi/requests/json', () => (pypiDown ? { status: 503 } : json(projectDocument())));
  for (const version of [...ALL_VERSIONS, '2.29.0']) {
    replay.route(`/pypi/requests/${version}/json`, () => (pypiDown ? { status: 503 } : published.has(version) ? json(releaseDocument(version)) : { status: 404 }));
  }
  replay.route('/pypi/broken/json', { status: 503 });
  replay.file('/npm/left-pad', 'npm/left-pad.json');
  // Every lookup asks the registry again, so a release published mid-test is seen by the next one.
  server = await startTestServer({ 'registries.pypi.url': replay.url, 'registries.npm.url': `${replay.url}/npm/`, 'registries.ttlSeconds': 0, 'registries.notFoundTtlSeconds': 0 });
  advisories = await importRealAdvisories(server);
  if (!advisories) console.warn('notice: ../shared/osv is absent; the remediation tests that need real advisories are skipped');
  org = await create('/api/v2/organizations', { name: 'Remediation', parentOrganizationId: 'ROOT_ORGANIZATION_ID' });
  app = await create('/api/v2/applications', { publicId: 'remediate', name: 'remediate', organizationId: org });
  waivedApp = await create('/api/v2/applications', { publicId: 'waived', name: 'waived', organizationId: org });
  // The PyPA record carries no CVSS score, so the reference's Security-* policies do not see it: the
  // organization reports any known vulnerability (no action); one application fails its build on
  // one and warns about versions that are not the latest.
  await create(`/api/v2/policies/organization/${org}`, {
    name: 'Known vulnerability',
    threatLevel: 6,
    actions: {},
    constraints: [{ name: 'Any vulnerability', conditions: [{ conditionTypeId: 'SecurityVulnerability', operator: 'is present', value: '' }] }],
  });
  await create(`/api/v2/policies/application/${app}`, {
    name: 'Vulnerable fails',
    threatLevel: 8,
    actions: { build: 'fail' },
    constraints: [{ name: 'Any vulnerability', conditions: [{ conditionTypeId: 'SecurityVulnerability', operator: 'is present', value: '' }] }],
  });
  await create(`/api/v2/policies/application/${app}`, {
    name: 'Not latest',
    threatLevel: 2,
    actions: { build: 'warn' },
    constraints: [{ name: 'Not latest', conditions: [{ conditionTypeId: 'IsLatest', operator: 'is false', value: '' }] }],
  });
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', app);
  NOBODY = await userWithRole(server, 'nobody', null);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await replay?.close();
});

describe('component remediation', () => {
  it('an application: the first version without violations, and the first that does not fail the build', async ({ skip }) => {
    if (!advisories) skip();
    const res = await remediation('application', app, { packageUrl: REQUESTS('2.28.2') }, '?stageId=build', DEV);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    // 2.28.2 is vulnerable (fails); 2.31.0 fixes CVE-2023-32681 but is not the latest (warns); 2.32.3 is the latest.
    expect(versionChanges(res.body)).toEqual({ 'next-no-violations': REQUESTS('2.32.3'), 'next-non-failing': REQUESTS('2.31.0') });
    expect(res.body.remediation.versionChanges[0]).toEqual({
      type: 'next-no-violations',
      data: {
        component: {
          hash: expect.stringMatching(/^[0-9a-f]{20}$/),
          componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version: '2.32.3' } },
          packageUrl: REQUESTS('2.32.3'),
          displayName: expect.stringContaining('2.32.3'),
        },
      },
    });

    // Without a stage there is no next-non-failing; the identifier form names the same component.
    const plain = await remediation('application', app, { componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version: '2.28.2' } } });
    expect(plain.status, plain.text).toBe(200);
    expect(versionChanges(plain.body)).toEqual({ 'next-no-violations': REQUESTS('2.32.3') });
  });

  it('agrees with evaluations: the versions it names really evaluate that way', async ({ skip }) => {
    if (!advisories) skip();
    const scan = async (version: string) => {
      const sbom = cycloneDxJson([{ name: 'requests', version, purl: REQUESTS(version), license: 'Apache-2.0' }]);
      return (await scanAndWait(server, app, sbom, { stage: 'build' })).result;
    };
    const vulnerable = await scan('2.28.2');
    expect(vulnerable.policyAction).toBe('Failure');
    const fixed = await scan('2.31.0');
    expect(fixed.policyAction).toBe('Warning');
    const latest = await scan('2.32.3');
    expect(latest.policyAction).toBe('None');
    expect(latest.componentsAffected).toEqual({ critical: 0, severe: 0, moderate: 0 });
    expect(latest.openPolicyViolations).toEqual({ critical: 0, severe: 0, moderate: 0 });
  });

  it("an organization: its own and inherited policies, not its applications'; the current version counts", async ({ skip }) => {
    if (!advisories) skip();
    const res = await remediation('organization', org, { packageUrl: REQUESTS('2.28.2') }, '?stageId=build');
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    // "Known vulnerability" (CVE-2023-32681) has no action, so 2.28.2 itself does not fail.
    expect(versionChanges(res.body)).toEqual({ 'next-no-violations': REQUESTS('2.31.0'), 'next-non-failing': REQUESTS('2.28.2') });
    const clean = await remediation('organization', 'ROOT_ORGANIZATION_ID', { packageUrl: REQUESTS('2.32.0') });
    expect(versionChanges(clean.body)).toEqual({ 'next-no-violations': REQUESTS('2.32.0') });
  });

  it('npm: licenses per version from the package document; a criterion no version meets is left out', async () => {
    // left-pad declared BSD up to 0.0.4 and WTFPL from 0.0.9 on (in the recorded document).
    const npmOrg = await create('/api/v2/organizations', { name: 'No BSD', parentOrganizationId: 'ROOT_ORGANIZATION_ID' });
    await create(`/api/v2/policies/organization/${npmOrg}`, {
      name: 'No BSD',
      threatLevel: 9,
      actions: { build: 'fail' },
      constraints: [{ name: 'BSD', conditions: [{ conditionTypeId: 'License', operator: 'is', value: 'BSD-2-Clause' }] }],
    });
    await create(`/api/v2/policies/organization/${npmOrg}`, {
      name: 'Pinned',
      threatLevel: 1,
      actions: {},
      constraints: [{ name: 'Every left-pad', conditions: [{ conditionTypeId: 'Coordinates', operator: 'match', value: 'npm:left-pad:*' }] }],
    });
    replay.resetHits();
    const res = await remediation('organization', npmOrg, { packageUrl: 'pkg:npm/left-pad@0.0.2' }, '?stageId=build');
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    // Every version violates "Pinned", so none has no violations; 0.0.9 is the first without the failing BSD.
    expect(versionChanges(res.body)).toEqual({ 'next-non-failing': 'pkg:npm/left-pad@0.0.9' });
    expect(replay.requests.every((r) => r === '/npm/left-pad')).toBe(true);
  });

  it('knows no remediation for components whose versions it cannot list', async () => {
    const cases = [
      { packageUrl: 'pkg:cran/readxl@1.1.0' },
      { packageUrl: 'pkg:pypi/not-on-the-registry@1.0.0' },
      { packageUrl: 'pkg:pypi/requests' },
      { hash: '0123456789abcdef0123' },
    ];
    for (const body of cases) {
      const res = await remediation('application', app, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(200);
      expect(res.body).toEqual({ remediation: { versionChanges: [] } });
      expectMatchesReference('POST', PATH, 200, res.body);
    }
  });

  it('answers 503 with the reason when the registry fails', async () => {
    const res = await remediation('application', app, { packageUrl: 'pkg:pypi/broken@1.0.0' });
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/HTTP 503/);
  });

  it('rejects bad requests: 400 for a bad component, stage or owner type, 404 for unknown owners and repositories', async () => {
    const bad: Array<[string, unknown, string, RegExp]> = [
      [`/application/${app}`, {}, '', /hash, a componentIdentifier or a packageUrl/],
      [`/application/${app}`, { packageUrl: 'requests' }, '', /purl|package URL/i],
      [`/application/${app}`, { componentIdentifier: { format: 'pypi', coordinates: { nom: 'x' } } }, '', /"nom" is not a pypi coordinate/],
      [`/application/${app}`, { packageUrl: REQUESTS('2.28.2') }, '?stageId=someday', /Unknown stageId "someday"/],
      [`/shelf/${app}`, { packageUrl: REQUESTS('2.28.2') }, '', /ownerType must be organization or application/],
    ];
    for (const [owner, body, query, message] of bad) {
      const res = await server.request('POST', `/api/v2/components/remediation${owner}${query}`, { body });
      expect(res.status, `${owner} ${JSON.stringify(body)}`).toBe(400);
      expect(res.text).toMatch(message);
    }
    const unknownApp = await remediation('application', 'no-such-app', { packageUrl: REQUESTS('2.28.2') });
    expect(unknownApp.status).toBe(404);
    expect(unknownApp.text).toMatch(/Application no-such-app not found/);
    const repository = await remediation('repository', 'r1', { packageUrl: REQUESTS('2.28.2') });
    expect(repository.status).toBe(404);
    expect(repository.text).toMatch(/Tollgate has no repositories/);
  });

  it('needs credentials and View IQ Elements on the owner', async () => {
    expect((await remediation('application', app, { packageUrl: REQUESTS('2.28.2') }, '', null)).status).toBe(401);
    const denied = await remediation('application', app, { packageUrl: REQUESTS('2.28.2') }, '', NOBODY);
    expect(denied.status).toBe(403);
    // The developer of one application sees nothing of the organization's.
    expect((await remediation('organization', org, { packageUrl: REQUESTS('2.28.2') }, '', DEV)).status).toBe(403);
  });
});

describe('a waiver that expires when remediation is available', () => {
  const SBOM = cycloneDxJson([{ name: 'requests', version: '2.28.2', purl: REQUESTS('2.28.2'), license: 'Apache-2.0' }]);

  async function vulnerabilityViolation(scanId: string): Promise<{ policyViolationId: string; waived: boolean }> {
    const res = await server.request('GET', `/api/v2/applications/waived/reports/${scanId}/policy`);
    expect(res.status, res.text).toBe(200);
    const violations = res.body.components.flatMap((c: { violations: Array<{ policyName: string }> }) => c.violations);
    const found = violations.find((v: { policyName: string }) => v.policyName === 'Known vulnerability');
    expect(found, 'the Known vulnerability violation of requests 2.28.2').toBeDefined();
    return found;
  }

  it('stays while no newer version is free of the violation, and expires once one is published', async ({ skip }) => {
    if (!advisories) skip();
    published = new Set(['2.28.2']);
    const first = await scanAndWait(server, waivedApp, SBOM, { stage: 'build' });
    const violation = await vulnerabilityViolation(first.scanId);
    expect(violation.waived).toBe(false);
    const made = await server.request('POST', `/api/v2/policyWaivers/application/${waivedApp}/${violation.policyViolationId}`, {
      body: { comment: 'No proxies here; upgrade when a fix is out', matcherStrategy: 'EXACT_COMPONENT', expireWhenRemediationAvailable: true },
    });
    expect(made.status, made.text).toBe(204);
    const [waiver] = (await server.request('GET', `/api/v2/policyWaivers/application/${waivedApp}`)).body;
    expect(waiver.expireWhenRemediationAvailable).toBe(true);
    const waiverPath = `/api/v2/policyWaivers/application/${waivedApp}/${waiver.policyWaiverId}`;

    // Nothing newer: the waiver applies.
    expect((await vulnerabilityViolation((await scanAndWait(server, waivedApp, SBOM, { stage: 'build' })).scanId)).waived).toBe(true);

    // A newer release that is still vulnerable (before 2.31.0) remediates nothing.
    published.add('2.29.0');
    expect((await vulnerabilityViolation((await scanAndWait(server, waivedApp, SBOM, { stage: 'build' })).scanId)).waived).toBe(true);

    // The fix is published but the registry cannot be asked: nothing is known, the waiver stays.
    published.add('2.31.0');
    pypiDown = true;
    try {
      expect((await vulnerabilityViolation((await scanAndWait(server, waivedApp, SBOM, { stage: 'build' })).scanId)).waived).toBe(true);
    } finally {
      pypiDown = false;
    }
    // PyPI was found unreachable: it is asked again once its back-off (registries.downSeconds) has passed.
    skew += 61_000;
    const still = await server.request('GET', waiverPath);
    expect(still.body.expiryTime).toBeUndefined();
    expect(still.body.componentUpgradeAvailable).toBeUndefined();

    // A webhook for waiver expirations (written to the store: its loopback URL is refused when sent,
    // so the delivery stays pending and the event can be read back).
    const now = new Date().toISOString();
    await server.ctx.store.db
      .insertInto('webhooks')
      .values({ id: 'expiry-hook', url: 'http://127.0.0.1:9/', description: null, secret_key: null, event_types: '["iq:waiverExpiration"]', created_at: now, updated_at: now, drain_owner: null, drain_expires_at: null })
      .execute();

    // The registry answers with the fix: the violation counts again and the waiver reads as expired.
    const before = Date.now();
    const after = await vulnerabilityViolation((await scanAndWait(server, waivedApp, SBOM, { stage: 'build' })).scanId);
    expect(after.waived).toBe(false);
    const expired = await server.request('GET', waiverPath);
    expect(expired.status, expired.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}/{policyWaiverId}', 200, expired.body);
    expect(expired.body.componentUpgradeAvailable).toBe(true);
    expect(Date.parse(expired.body.expiryTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(expired.body.expiryTime)).toBeLessThanOrEqual(Date.now());
    expect((await server.request('GET', `/api/v2/policyWaivers/application/${waivedApp}`)).body).toEqual([]);
    const record = await server.ctx.store.db.selectFrom('waiver_remediations').selectAll().where('waiver_id', '=', waiver.policyWaiverId).executeTakeFirst();
    expect(record).toMatchObject({ package_url: REQUESTS('2.31.0'), version: '2.31.0' });
    // The expiry raised iq:waiverExpiration, recorded with it.
    const events = await server.ctx.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', 'expiry-hook').execute();
    expect(events.map((e) => e.event_type)).toEqual(['iq:waiverExpiration']);
    expect(JSON.parse(events[0].body)).toMatchObject({ initiator: 'system', id: waiver.policyWaiverId, action: 'EXPIRE', policyWaiver: { policyWaiverId: waiver.policyWaiverId } });
    await server.ctx.store.db.deleteFrom('webhook_deliveries').where('webhook_id', '=', 'expiry-hook').execute();
    await server.ctx.store.db.deleteFrom('webhooks').where('id', '=', 'expiry-hook').execute();

    // Deleting the waiver deletes its record.
    expect((await server.request('DELETE', waiverPath)).status).toBe(204);
    expect(await server.ctx.store.db.selectFrom('waiver_remediations').selectAll().execute()).toEqual([]);
    published = new Set(ALL_VERSIONS);
  });
});
