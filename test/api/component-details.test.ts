import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coordinateHash, fromPackageUrl } from '../../src/ecosystems/identity.js';
import { clearRegistryCache, resetRegistryCircuits } from '../../src/intel/registries/index.js';
import { componentDetails } from '../../src/services/components/component-details.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay } from '../helpers/registry-replay.js';
import { ReplayServer } from '../intel/registries/replay-server.js';
import { importRealAdvisories } from './real-advisories.js';

// Real OSV records (../shared/osv) and the registry answers recorded for the registry tests
// (test/fixtures/registries), replayed on 127.0.0.1.
let replay: ReplayServer;
// crates.io, RubyGems, NuGet, Packagist, the Go proxy and deps.dev: test/fixtures/registries/replay.
let registries: RegistryReplay;
let server: TestServer;
let haveData = false;
let nobody: [string, string];

const CLAIMED_HASH = '0123456789abcdef0123';
const UNKNOWN_HASH = 'fedcba9876543210fedc';

beforeAll(async () => {
  replay = await new ReplayServer().start();
  replay
    .file('/pypi/requests/json', 'pypi/requests.json')
    .file('/pypi/requests/2.31.0/json', 'pypi/requests-2.31.0.json')
    .route('/npm/left-pad', { status: 503 });
  for (let i = 0; i < 20; i++) replay.route(`/npm/failing-${i}`, { status: 503 });
  registries = await new RegistryReplay(OWN_REGISTRY_FIXTURES, { origins: { 'https://api.nuget.org': '/nuget' } }).start();
  server = await startTestServer({
    'registries.cargo.url': `${registries.url}/crates`,
    'registries.gem.url': `${registries.url}/rubygems`,
    'registries.nuget.url': `${registries.url}/nuget/v3/index.json`,
    'registries.composer.url': `${registries.url}/packagist`,
    'registries.golang.url': `${registries.url}/go`,
    'registries.depsdev.url': `${registries.url}/depsdev`,
    'registries.npm.url': `${replay.url}/npm/`,
    'registries.maven.url': `${replay.url}/maven2`,
    'registries.maven.searchUrl': 'off',
    'registries.pypi.url': replay.url,
  });
  haveData = await importRealAdvisories(server);
  // No role anywhere: the reference names no permission for this operation.
  nobody = await userWithRole(server, 'nobody', null);
  const claim = await server.request('POST', '/api/v2/claim/components', {
    body: { hash: CLAIMED_HASH, packageUrl: 'pkg:pypi/requests@2.28.2', createTime: '2023-01-12T16:24:52.000Z', comment: 'vendored copy' },
  });
  expect(claim.status, claim.text).toBe(200);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await replay?.close();
  await registries?.close();
});

// Some stand-in packages answer 5xx, which opens the stand-in registry's circuit: each test starts closed.
beforeEach(() => resetRegistryCircuits());

const details = (body: unknown, auth?: [string, string] | null) => server.request('POST', '/api/v2/components/details', { body, auth });
const PATH = '/api/v2/components/details';

describe('component details', () => {
  it('answers a mixed list in order: identifier, package URL and hash; vulnerable and fixed versions; claimed and unknown hashes', async (t) => {
    if (!haveData) t.skip();
    const res = await details(
      {
        components: [
          { packageUrl: 'pkg:pypi/Requests@2.28.2' },
          { componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version: '2.31.0' } } },
          { hash: CLAIMED_HASH },
          { hash: UNKNOWN_HASH },
          { componentIdentifier: { format: 'pypi', coordinates: { name: 'sentry', version: '23.5.1' } } },
          { packageUrl: 'pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b' },
        ],
      },
      nobody,
    );
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    const [vulnerable, fixed, claimed, unknown, sentry, goNet] = res.body.componentDetails;

    const cve202332681 = { source: 'cve', reference: 'CVE-2023-32681', url: 'https://osv.dev/vulnerability/CVE-2023-32681', status: 'Open', cvssVectorSource: 'unscored' };
    // requests 2.28.2: CVE-2023-32681 once (PYSEC-2023-74 and its GHSA alias are one vulnerability), unscored (no vector, no rating), and says so.
    expect(vulnerable).toEqual({
      component: {
        hash: coordinateHash(fromPackageUrl('pkg:pypi/requests@2.28.2')),
        componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version: '2.28.2' } },
        packageUrl: 'pkg:pypi/requests@2.28.2',
        originalPurl: 'pkg:pypi/Requests@2.28.2',
        displayName: 'requests 2.28.2',
      },
      matchState: 'exact',
      // From the package document; 2.28.2 has no release document, so its licenses stay unknown and are left out.
      catalogDate: '2023-01-12T16:24:52.252Z',
      securityData: { securityIssues: [cve202332681] },
    });

    // requests 2.31.0 is the fix: no issue; its release document declares Apache 2.0 (and the trove classifier).
    expect(fixed.matchState).toBe('exact');
    expect(fixed.component.packageUrl).toBe('pkg:pypi/requests@2.31.0');
    expect(fixed.component.originalPurl).toBeUndefined();
    expect(fixed.securityData).toEqual({ securityIssues: [] });
    expect(fixed.catalogDate).toMatch(/^2023-05-22T/);
    expect(fixed.licenseData).toEqual({
      declaredLicenses: [{ licenseId: 'Apache-2.0', licenseName: 'Apache-2.0' }],
      observedLicenses: [],
      effectiveLicenses: [{ licenseId: 'Apache-2.0', licenseName: 'Apache-2.0' }],
      overriddenLicenses: [],
      status: 'Open',
    });

    // A claimed hash takes the claim's identity, and the claim's createTime dates it.
    expect(claimed).toMatchObject({
      component: { hash: CLAIMED_HASH, packageUrl: 'pkg:pypi/requests@2.28.2', displayName: 'requests 2.28.2' },
      matchState: 'exact',
      catalogDate: '2023-01-12T16:24:52.000Z',
      securityData: { securityIssues: [cve202332681] },
    });

    // A hash nobody recognised or claimed: unknown, and nothing more is said about it.
    expect(unknown).toEqual({ component: { hash: UNKNOWN_HASH }, matchState: 'unknown' });

    // sentry 23.5.1: CVE-2023-36826, CVSS 3.1 6.5 → moderate. PyPI (the replay) does not know sentry: no registry fields.
    expect(sentry).toMatchObject({ matchState: 'exact', component: { packageUrl: 'pkg:pypi/sentry@23.5.1' } });
    expect(sentry.securityData.securityIssues).toEqual([
      {
        source: 'cve',
        reference: 'CVE-2023-36826',
        url: 'https://osv.dev/vulnerability/CVE-2023-36826',
        status: 'Open',
        severity: 6.5,
        threatCategory: 'moderate',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
        cvssVectorSource: 'osv:PYSEC-2023-130',
      },
    ]);
    expect(sentry.catalogDate).toBeUndefined();
    expect(sentry.licenseData).toBeUndefined();

    // A Go module: the Go database's record, under its CVE; the Go proxy (the replay) does not know it.
    expect(goNet.matchState).toBe('exact');
    expect(goNet.component.displayName).toBe('golang.org/x/net v0.0.0-20220722155237-a158d28d115b');
    expect(goNet.securityData.securityIssues.map((i: { reference: string }) => i.reference)).toEqual(['CVE-2022-27664']);
  });

  it('declared licenses and release dates from crates.io, RubyGems, NuGet, Packagist and the Go proxy with deps.dev', async () => {
    const res = await details(
      {
        components: [
          { packageUrl: 'pkg:cargo/widget-rs@1.0.0' },
          { packageUrl: 'pkg:gem/widget@1.5.2' },
          { packageUrl: 'pkg:nuget/Widget.Core@1.1.0' },
          { componentIdentifier: { format: 'composer', coordinates: { namespace: 'acme', name: 'widget', version: 'v2.0.0' } } },
          { packageUrl: 'pkg:golang/github.com/BurntSushi/toml@v1.3.2' },
          { packageUrl: 'pkg:golang/github.com/BurntSushi/toml@v1.0.0' },
        ],
      },
      nobody,
    );
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    const declared = (d: { licenseData?: { declaredLicenses: Array<{ licenseId: string }> } }) => d.licenseData?.declaredLicenses.map((l) => l.licenseId);
    const [crate, gem, nugetPackage, composer, toml, oldToml] = res.body.componentDetails;
    // crates.io's old `MIT/Apache-2.0` is the SPDX choice.
    expect(crate.catalogDate).toBe('2021-06-07T19:20:31.451Z');
    expect(declared(crate)).toEqual(['MIT OR Apache-2.0']);
    expect(gem.catalogDate).toBe('2024-03-04T16:40:31.512Z');
    expect(declared(gem)).toEqual(['MIT OR Ruby']);
    // A license NuGet knows only by a project's own page cannot be read: it is shown as given.
    expect(nugetPackage.catalogDate).toBe('2018-09-21T07:12:03.553Z');
    expect(declared(nugetPackage)).toEqual(['https://github.com/example/widget/blob/master/LICENSE.txt']);
    expect(composer.catalogDate).toBe('2021-05-03T10:00:00.000Z');
    expect(declared(composer)).toEqual(['GPL-2.0-or-later OR MIT']);
    // Go: the date from the proxy, the license from deps.dev; where deps.dev knows nothing, licenses are left out (unknown).
    expect(toml.catalogDate).toBe('2023-06-08T06:07:09.000Z');
    expect(declared(toml)).toEqual(['MIT']);
    expect(oldToml.catalogDate).toBe('2022-01-11T10:12:48.000Z');
    expect(oldToml.licenseData).toBeUndefined();
  });

  it('a version no longer affected by older advisories reports none of them; the fixed hash of a vulnerable file still its claim', async (t) => {
    if (!haveData) t.skip();
    // requests 2.19.1 is before the fixes of CVE-2018-18074 (2.20.0) and CVE-2023-32681 (2.31.0), after those fixed in 2.3.0 and 2.6.0.
    const res = await details({ components: [{ packageUrl: 'pkg:pypi/requests@2.19.1' }, { packageUrl: 'pkg:pypi/requests@2.2.1' }] });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    const refs = (i: number) => res.body.componentDetails[i].securityData.securityIssues.map((s: { reference: string }) => s.reference);
    expect(refs(0)).toEqual(['CVE-2018-18074', 'CVE-2023-32681']);
    expect(refs(1)).toEqual(['CVE-2014-1829', 'CVE-2014-1830', 'CVE-2015-2296', 'CVE-2018-18074']);
  });

  it('a component of a format Tollgate does not know, or without a version, gets what can be said', async () => {
    const res = await details({
      components: [
        { componentIdentifier: { format: 'foo', coordinates: { name: 'bar', version: '1.0' } } },
        { packageUrl: 'pkg:pypi/requests' },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, res.body);
    const [foreign, unversioned] = res.body.componentDetails;
    expect(foreign.matchState).toBe('unknown');
    expect(foreign.component.componentIdentifier).toEqual({ format: 'foo', coordinates: { name: 'bar', version: '1.0' } });
    expect(foreign.securityData).toBeUndefined();
    // No version: no range can tell, so no security data; no version, so no catalog date.
    expect(unversioned).toMatchObject({ matchState: 'exact', component: { packageUrl: 'pkg:pypi/requests' } });
    expect(unversioned.securityData).toBeUndefined();
    expect(unversioned.catalogDate).toBeUndefined();
  });

  it('answers without registry data when the registry fails or registries are offline', async () => {
    const failing = await details({ components: [{ packageUrl: 'pkg:npm/left-pad@1.3.0' }] });
    expect(failing.status, failing.text).toBe(200);
    expectMatchesReference('POST', PATH, 200, failing.body);
    expect(failing.body.componentDetails[0]).toMatchObject({ matchState: 'exact', component: { packageUrl: 'pkg:npm/left-pad@1.3.0' } });
    expect(failing.body.componentDetails[0].catalogDate).toBeUndefined();
    expect(failing.body.componentDetails[0].licenseData).toBeUndefined();

    await clearRegistryCache(server.ctx);
    replay.resetHits();
    const offline = { ...server.ctx, config: { ...server.ctx.config, registries: { ...server.ctx.config.registries, offline: true } } };
    const answer = await componentDetails(offline, { components: [{ packageUrl: 'pkg:pypi/requests@2.31.0' }] });
    expect(answer.componentDetails[0]).toMatchObject({ matchState: 'exact' });
    expect(answer.componentDetails[0].catalogDate).toBeUndefined();
    expect(answer.componentDetails[0].licenseData).toBeUndefined();
    expect(replay.requests).toEqual([]);
  });

  it('a failing registry is not asked again within the request: one round of failures, not one per component', async () => {
    replay.resetHits();
    const components = Array.from({ length: 20 }, (_, i) => ({ packageUrl: `pkg:npm/failing-${i}@1.0.0` }));
    const res = await details({ components });
    expect(res.status, res.text).toBe(200);
    expect(res.body.componentDetails.map((d: { matchState: string }) => d.matchState)).toEqual(Array(20).fill('exact'));
    const asked = new Set(replay.requests.map((r) => r.split('?')[0]));
    // At most the first look-ups in flight together (eight) reach the registry.
    expect(asked.size).toBeGreaterThan(0);
    expect(asked.size).toBeLessThanOrEqual(8);
  });

  it('400 with the component named for bad input; a limit of 100 components', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^components must list at least one component/],
      [{ components: [] }, /^components must list at least one component/],
      [{ components: [{ packageUrl: 'pkg:pypi/requests@2.31.0' }, { packageUrl: 'not a purl' }] }, /^components\[1\]: /],
      [{ components: [{ hash: 'xyz' }] }, /^components\[0\]: "xyz" is not a component hash/],
      [{ components: [{}] }, /^components\[0\]: A component needs a hash, a componentIdentifier or a packageUrl/],
      [
        { components: [{ packageUrl: 'pkg:pypi/requests@2.31.0', componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version: '2.30.0' } } }] },
        /^components\[0\]: The componentIdentifier \(pkg:pypi\/requests@2.30.0\) and the packageUrl \(pkg:pypi\/requests@2.31.0\) name different components/,
      ],
      [{ components: [{ componentIdentifier: { coordinates: { name: 'requests' } } }] }, /^components\[0\]: A component identifier needs a format/],
      [{ components: [{ packageUrl: 42 }] }, /packageUrl/],
      [{ components: Array.from({ length: 101 }, (_, i) => ({ packageUrl: `pkg:npm/p${i}@1.0.0` })) }, /^At most 100 components may be asked for at once; this request has 101$/],
    ];
    for (const [body, message] of cases) {
      const res = await details(body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.text).toMatch(message);
    }
  });

  it('needs credentials, and no permission beyond them', async () => {
    const body = { components: [{ hash: UNKNOWN_HASH }] };
    const anonymous = await details(body, null);
    expect(anonymous.status).toBe(401);
    const res = await details(body, nobody);
    expect(res.status, res.text).toBe(200);
  });
});
