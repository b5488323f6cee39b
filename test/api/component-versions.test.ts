import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay } from '../helpers/registry-replay.js';
import { ReplayServer } from '../intel/registries/replay-server.js';

// The registry answers recorded for the registry tests (test/fixtures/registries), replayed locally.
let replay: ReplayServer;
// crates.io, RubyGems, NuGet, Packagist and the Go proxy: test/fixtures/registries/replay.
let registries: RegistryReplay;
let server: TestServer;
let nobody: [string, string];

const MAVEN_FILES = ['junit/junit/maven-metadata.xml', 'junit/junit/4.13.2/junit-4.13.2.pom'];

beforeAll(async () => {
  replay = await new ReplayServer().start();
  replay
    .file('/npm/left-pad', 'npm/left-pad.json')
    .file('/npm/@types%2fsemver', 'npm/types-semver.json')
    .file('/pypi/requests/json', 'pypi/requests.json')
    .route('/npm/broken', { status: 503 });
  for (const path of MAVEN_FILES) replay.file(`/maven2/${path}`, `maven/repository/${path}`);
  registries = await new RegistryReplay(OWN_REGISTRY_FIXTURES, { origins: { 'https://api.nuget.org': '/nuget' } }).start();
  server = await startTestServer({
    'registries.cargo.url': `${registries.url}/crates`,
    'registries.gem.url': `${registries.url}/rubygems`,
    'registries.nuget.url': `${registries.url}/nuget/v3/index.json`,
    'registries.composer.url': `${registries.url}/packagist`,
    'registries.golang.url': `${registries.url}/go`,
    'registries.npm.url': `${replay.url}/npm/`,
    'registries.maven.url': `${replay.url}/maven2`,
    'registries.maven.searchUrl': 'off',
    'registries.pypi.url': replay.url,
  });
  // No role anywhere: the reference names no permission for this operation.
  nobody = await userWithRole(server, 'nobody', null);
});
afterAll(async () => {
  await server?.close();
  await replay?.close();
  await registries?.close();
});

const versions = (body: unknown, auth?: [string, string] | null) => server.request('POST', '/api/v2/components/versions', { body, auth });

describe('component versions', () => {
  it('lists an npm package’s versions in semver order, whatever order the registry used', async () => {
    const res = await versions({ format: 'npm', coordinates: { packageId: 'left-pad', version: '1.3.0' } });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/components/versions', 200, res.body);
    // The registry document lists 0.0.2 after 0.0.9 and 1.1.2 before 1.1.1.
    expect(res.body).toEqual([
      '0.0.0', '0.0.1', '0.0.2', '0.0.3', '0.0.4', '0.0.9', '1.0.0', '1.0.1', '1.0.2', '1.1.0', '1.1.1', '1.1.2', '1.1.3', '1.2.0', '1.3.0',
    ]);
    const scoped = await versions({ packageUrl: 'pkg:npm/%40types/semver' });
    expect(scoped.status, scoped.text).toBe(200);
    expect(scoped.body.length).toBeGreaterThan(0);
  });

  it('lists Maven versions in Maven order (betas and release candidates before the release)', async () => {
    const res = await versions({ packageUrl: 'pkg:maven/junit/junit@4.12?type=jar' }, nobody);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/components/versions', 200, res.body);
    expect(res.body).toEqual(['4.11', '4.12', '4.13-beta-1', '4.13-beta-2', '4.13-beta-3', '4.13-rc-1', '4.13-rc-2', '4.13', '4.13.1', '4.13.2']);
  });

  it('lists PyPI versions by PEP 440, the project named in any spelling', async () => {
    const res = await versions({ format: 'pypi', coordinates: { name: 'Requests', version: '2.31.0' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual(['2.28.2', '2.31.0', '2.32.0', '2.32.1', '2.32.2', '2.32.3']);
  });

  it.each([
    ['pkg:cargo/widget-rs@1.0.0', ['0.1.0', '1.0.0', '1.2.0', '1.2.1', '2.0.0-beta.1']],
    ['pkg:gem/widget', ['0.9.0', '1.0.0', '1.5.2', '2.0.0.rc1']],
    ['pkg:nuget/Widget.Core@2.0.0', ['1.0.0', '1.0.1', '1.1.0', '2.0.0', '2.1.0-preview.1']],
    ['pkg:composer/acme/widget', ['v1.0.0', 'v2.0.0', 'v2.4.1', 'v3.0.0-RC1']],
    ['pkg:golang/github.com/BurntSushi/toml@v1.3.2', ['v0.4.1', 'v1.0.0', 'v1.2.0', 'v1.3.2', 'v1.4.0-alpha1']],
  ])('lists the versions of %s from its registry, in its ecosystem’s order', async (packageUrl, expected) => {
    const res = await versions({ packageUrl });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/components/versions', 200, res.body);
    expect(res.body).toEqual(expected);
  });

  it('answers 404 when the registry does not know the component, or Tollgate reads no registry for its format', async () => {
    const unknown = await versions({ format: 'npm', coordinates: { packageId: 'no-such-package-here' } });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/no-such-package-here.*not found/);
    const cran = await versions({ packageUrl: 'pkg:cran/readxl@1.1.0' });
    expect(cran.status).toBe(404);
    expect(cran.text).toMatch(/reads no registry for cran components/);
  });

  it('answers 503 with the reason when the registry fails', async () => {
    const res = await versions({ packageUrl: 'pkg:npm/broken@1.0.0' });
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/HTTP 503/);
  });

  it('rejects a request that names no component, or names it badly', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /format and coordinates, or by packageUrl/],
      [{ format: 'maven', coordinates: { groupId: 'junit' } }, /artifactId/],
      [{ format: 'npm', coordinates: { name: 'left-pad' } }, /"name" is not a npm coordinate/],
      [{ format: 'npm', coordinates: { packageId: 'left-pad' }, packageUrl: 'pkg:npm/right-pad' }, /name different components/],
      [{ packageUrl: 'left-pad' }, /purl|package URL/i],
      [{ format: 'npm', coordinates: { packageId: 7 } }, /coordinates/],
    ];
    for (const [body, message] of cases) {
      const res = await versions(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
  });

  it('needs credentials', async () => {
    expect((await versions({ packageUrl: 'pkg:npm/left-pad' }, null)).status).toBe(401);
  });
});
