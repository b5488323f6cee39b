import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import {
  clearRegistryCache,
  RegistryNotFoundError,
  RegistryOfflineError,
  RegistryUnavailableError,
  registryMetadata,
  registryVersionFacts,
  resetRegistryCircuits,
} from '../../../src/intel/registries/index.js';
import type { AppContext } from '../../../src/core/context.js';
import { NotFoundError, ValidationError } from '../../../src/core/errors.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { fixture, ReplayServer } from './replay-server.js';

let replay: ReplayServer;
let server: TestServer;
const NOW = new Date('2026-11-23T12:00:00.000Z');
const TTL = 3600;

/** The test server's context with other registry settings or another clock. */
function ctxWith(registries: Partial<Config['registries']> = {}, now = NOW): AppContext {
  const base = server.ctx;
  return { ...base, now: () => now, config: { ...base.config, registries: { ...base.config.registries, ...registries } } };
}

const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (err: Error) => err);

const MAVEN_FILES = [
  'junit/junit/maven-metadata.xml',
  'com/google/code/gson/gson/maven-metadata.xml',
  'com/google/code/gson/gson/2.11.0/gson-2.11.0.pom',
  'com/google/code/gson/gson-parent/2.11.0/gson-parent-2.11.0.pom',
];
const JUNIT_412_POM = '/maven2/junit/junit/4.12/junit-4.12.pom';

beforeAll(async () => {
  replay = await new ReplayServer().start();
  replay
    .file('/npm/left-pad', 'npm/left-pad.json')
    .file('/npm/is-odd', 'npm/is-odd.json')
    .file('/npm/@types%2fsemver', 'npm/types-semver.json')
    .file('/pypi/requests/json', 'pypi/requests.json')
    .file('/pypi/attrs/json', 'pypi/attrs.json')
    .file('/pypi/requests/2.31.0/json', 'pypi/requests-2.31.0.json')
    .file(JUNIT_412_POM, 'maven/repository/junit/junit/4.12/junit-4.12.pom', { 'last-modified': 'Thu, 04 Dec 2014 16:17:09 GMT' })
    .file('/maven2/junit/junit/4.13.2/junit-4.13.2.pom', 'maven/repository/junit/junit/4.13.2/junit-4.13.2.pom', {
      'last-modified': 'Sat, 13 Feb 2021 16:44:33 GMT',
    });
  for (const path of MAVEN_FILES) replay.file(`/maven2/${path}`, `maven/repository/${path}`);
  // A Go module with one tag, and a pseudo-version of an earlier commit the list does not name
  // (answers written here in the proxy's and deps.dev's formats).
  replay
    .route('/go/golang.org/x/crypto/@v/list', { body: 'v0.1.0\n' })
    .route('/go/golang.org/x/crypto/@v/v0.1.0.info', { body: '{"Version":"v0.1.0","Time":"2022-10-01T00:00:00Z"}' })
    .route('/go/golang.org/x/crypto/@v/v0.0.0-20200622213623-75b288015ac9.info', { body: '{"Version":"v0.0.0-20200622213623-75b288015ac9","Time":"2020-06-22T21:36:23Z"}' })
    .route('/depsdev/v3/systems/go/packages/golang.org%2Fx%2Fcrypto/versions/v0.0.0-20200622213623-75b288015ac9', {
      body: '{"versionKey":{"system":"GO","name":"golang.org/x/crypto","version":"v0.0.0-20200622213623-75b288015ac9"},"licenses":["BSD-3-Clause"]}',
    });
  replay.route('/solrsearch/select', (_request, url) => {
    const ok = url.searchParams.get('core') === 'gav' && url.searchParams.get('wt') === 'json';
    if (ok && url.searchParams.get('q') === 'g:"com.google.code.gson" AND a:"gson"') {
      return { body: fixture('maven/search/gson.json'), headers: { 'content-type': 'application/json' } };
    }
    return { body: JSON.stringify({ responseHeader: { status: 0 }, response: { numFound: 0, start: 0, docs: [] } }) };
  });
  server = await startTestServer({
    'registries.ttlSeconds': TTL,
    'registries.npm.url': `${replay.url}/npm/`,
    'registries.maven.url': `${replay.url}/maven2`,
    'registries.maven.searchUrl': `${replay.url}/solrsearch/select`,
    'registries.pypi.url': replay.url,
    'registries.golang.url': `${replay.url}/go`,
    'registries.depsdev.url': `${replay.url}/depsdev`,
  });
});

afterAll(async () => {
  await server?.close();
  await replay?.close();
});

beforeEach(async () => {
  // The stand-in registry answers 5xx in some tests, which opens its circuit: each test starts closed.
  resetRegistryCircuits();
  await clearRegistryCache(server.ctx);
  replay.resetHits();
});

describe('Go', () => {
  it('a pseudo-version the proxy does not list is looked up by its own document: dated and licensed; an unknown one is no version', async () => {
    const pseudo = await registryVersionFacts(ctxWith(), { format: 'golang', name: 'golang.org/x/crypto', version: 'v0.0.0-20200622213623-75b288015ac9' });
    expect(pseudo.version).toMatchObject({ releasedAt: '2020-06-22T21:36:23.000Z', licenses: ['BSD-3-Clause'] });
    expect(pseudo.isLatest).toBe(false);
    const unknown = await registryVersionFacts(ctxWith(), { format: 'golang', name: 'golang.org/x/crypto', version: 'v0.0.0-20190101000000-000000000000' });
    expect(unknown.version).toBeNull();
  });
});

describe('npm', () => {
  it('answers from the registry, then from the cache until the answer expires', async () => {
    const first = await registryMetadata(ctxWith(), { format: 'npm', name: 'left-pad' });
    expect(first).toMatchObject({ ecosystem: 'npm', name: 'left-pad', latest: '1.3.0', stale: false, fetchedAt: NOW.toISOString() });
    expect(first.expiresAt).toBe(new Date(NOW.getTime() + TTL * 1000).toISOString());
    expect(first.versions).toHaveLength(15);
    expect(replay.hitsOf('/npm/left-pad')).toBe(1);

    const cached = await registryMetadata(ctxWith({}, new Date(NOW.getTime() + (TTL - 1) * 1000)), { format: 'npm', name: 'left-pad' });
    expect(cached).toEqual(first);
    expect(replay.hitsOf('/npm/left-pad')).toBe(1);

    const later = new Date(NOW.getTime() + TTL * 1000);
    const refreshed = await registryMetadata(ctxWith({}, later), { format: 'npm', name: 'left-pad' });
    expect(replay.hitsOf('/npm/left-pad')).toBe(2);
    expect(refreshed.fetchedAt).toBe(later.toISOString());
  });

  it('stores the answer in the database with its expiry', async () => {
    await registryMetadata(ctxWith(), { format: 'npm', name: 'is-odd' });
    const row = await server.ctx.store.db.selectFrom('registry_cache').selectAll().where('name', '=', 'is-odd').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ecosystem: 'npm', fetched_at: NOW.toISOString(), expires_at: new Date(NOW.getTime() + TTL * 1000).toISOString() });
    expect(JSON.parse(row.document).value.latest).toBe('3.0.1');
  });

  it('asks for a scoped package with the slash encoded', async () => {
    const meta = await registryMetadata(ctxWith(), { format: 'NPM', name: '@types/semver' });
    expect(meta.name).toBe('@types/semver');
    expect(meta.latest).toBe('7.8.0');
    expect(replay.hitsOf('/npm/@types%2fsemver')).toBe(1);
  });

  it('asks the registry once for concurrent requests of the same package', async () => {
    const ctx = ctxWith();
    const answers = await Promise.all(Array.from({ length: 5 }, () => registryMetadata(ctx, { format: 'npm', name: 'is-odd' })));
    expect(replay.hitsOf('/npm/is-odd')).toBe(1);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].versions.at(-1)?.dependencies).toEqual({ 'is-number': '^6.0.0' });
  });

  it('says "not found in the npm registry" for a 404, and remembers it for notFoundTtlSeconds', async () => {
    const err = await caught(registryMetadata(ctxWith(), { format: 'npm', name: 'no-such-package' }));
    expect(err).toBeInstanceOf(RegistryNotFoundError);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err?.message).toBe('npm package "no-such-package" was not found in the npm registry.');
    const again = await caught(registryMetadata(ctxWith(), { format: 'npm', name: 'no-such-package' }));
    expect(again?.message).toMatch(/not found in the npm registry \(as of 2026-11-23T12:00:00.000Z\)/);
    expect(replay.hitsOf('/npm/no-such-package')).toBe(1);
    const past = new Date(NOW.getTime() + server.ctx.config.registries.notFoundTtlSeconds * 1000);
    await caught(registryMetadata(ctxWith({}, past), { format: 'npm', name: 'no-such-package' }));
    expect(replay.hitsOf('/npm/no-such-package')).toBe(2);
  });

  it('asks again once after a 5xx', async () => {
    let calls = 0;
    replay.route('/npm/flaky', () => (++calls === 1 ? { status: 502 } : { body: fixture('npm/left-pad.json') }));
    const meta = await registryMetadata(ctxWith(), { format: 'npm', name: 'flaky' });
    expect(meta.latest).toBe('1.3.0');
    expect(replay.hitsOf('/npm/flaky')).toBe(2);
  });

  it('gives a clear error when the registry fails twice, and caches nothing', async () => {
    replay.route('/npm/broken', { status: 503 });
    const err = await caught(registryMetadata(ctxWith(), { format: 'npm', name: 'broken' }));
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err?.message).toMatch(/^the npm registry failed to answer for npm package "broken" \(http:\/\/127\.0\.0\.1:\d+\/npm\/broken\): HTTP 503 .*also when asked again\.$/);
    expect(replay.hitsOf('/npm/broken')).toBe(2);
    const rows = await server.ctx.store.db.selectFrom('registry_cache').select('name').where('name', '=', 'broken').execute();
    expect(rows).toEqual([]);
  });

  it('gives up after registries.timeoutMs', async () => {
    replay.route('/npm/slow', { hang: true });
    const err = await caught(registryMetadata(ctxWith({ timeoutMs: 150 }), { format: 'npm', name: 'slow' }));
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err?.message).toMatch(/did not answer within 150 ms \(registries\.timeoutMs\) for npm package "slow"/);
  });

  it('refuses an answer that is not JSON, and other refusals', async () => {
    replay.route('/npm/html', { body: '<html>captive portal</html>', headers: { 'content-type': 'text/html' } });
    replay.route('/npm/private', { status: 401 });
    expect((await caught(registryMetadata(ctxWith(), { format: 'npm', name: 'html' })))?.message).toMatch(/invalid JSON for npm package "html"/);
    const refused = await caught(registryMetadata(ctxWith(), { format: 'npm', name: 'private' }));
    expect(refused?.message).toMatch(/refused the request for npm package "private" .*HTTP 401/);
    expect(replay.hitsOf('/npm/private')).toBe(1);
  });

  it('remembers a failed lookup for registries.failureTtlSeconds instead of asking again for every component', async () => {
    replay.route('/npm/garbled', { body: 'not json', headers: { 'content-type': 'application/json' } });
    const ctx = ctxWith({ failureTtlSeconds: 300 });
    const first = await caught(registryMetadata(ctx, { format: 'npm', name: 'garbled' }));
    expect(first?.message).toMatch(/invalid JSON for npm package "garbled"/);
    for (let i = 0; i < 5; i++) expect(await caught(registryMetadata(ctx, { format: 'npm', name: 'garbled' }))).toBe(first);
    expect(replay.hitsOf('/npm/garbled')).toBe(1);
    // Other packages of the registry are still asked: the registry answered, it is not down.
    expect((await registryMetadata(ctx, { format: 'npm', name: 'left-pad' })).latest).toBe('1.3.0');
    // Once the time has passed, it is asked again.
    await caught(registryMetadata(ctxWith({ failureTtlSeconds: 300 }, new Date(NOW.getTime() + 301_000)), { format: 'npm', name: 'garbled' }));
    expect(replay.hitsOf('/npm/garbled')).toBe(2);
  });
});

describe('offline mode', () => {
  it('answers cached packages, expired ones marked stale, without asking the registry', async () => {
    await registryMetadata(ctxWith(), { format: 'npm', name: 'left-pad' });
    const muchLater = new Date(NOW.getTime() + 10 * TTL * 1000);
    const meta = await registryMetadata(ctxWith({ offline: true }, muchLater), { format: 'npm', name: 'left-pad' });
    expect(meta).toMatchObject({ latest: '1.3.0', stale: true, fetchedAt: NOW.toISOString() });
    expect(replay.hitsOf('/npm/left-pad')).toBe(1);
  });

  it('says clearly when a package is not cached', async () => {
    const err = await caught(registryMetadata(ctxWith({ offline: true }), { format: 'pypi', name: 'requests' }));
    expect(err).toBeInstanceOf(RegistryOfflineError);
    expect(err?.message).toBe(
      'PyPI project "requests" is not in the registry cache, and registries are offline (registries.offline), so PyPI was not asked.',
    );
    expect(replay.requests).toEqual([]);
  });
});

describe('Maven Central', () => {
  it('reads versions from maven-metadata.xml, dates from the search API, licenses inherited from the parent POM', async () => {
    const meta = await registryMetadata(ctxWith(), { format: 'maven', name: 'com.google.code.gson:gson' });
    expect(meta.latest).toBe('2.11.0');
    expect(meta.licenses).toEqual(['Apache-2.0']);
    expect(meta.versions.map((v) => [v.version, v.releasedAt, v.licenses])).toEqual([
      ['2.8.9', '2021-10-29T18:48:35.000Z', null],
      ['2.9.0', '2022-02-11T17:27:12.000Z', null],
      ['2.9.1', '2022-07-31T19:57:15.000Z', null],
      ['2.10', '2022-10-24T20:31:08.000Z', null],
      ['2.10.1', '2023-01-06T19:07:48.000Z', null],
      ['2.11.0', '2024-05-19T22:12:04.000Z', ['Apache-2.0']],
    ]);
    expect(replay.hitsOf('/maven2/com/google/code/gson/gson-parent/2.11.0/gson-parent-2.11.0.pom')).toBe(1);
  });

  it('dates the latest version by its POM’s Last-Modified when the search API has nothing', async () => {
    const meta = await registryMetadata(ctxWith(), { format: 'Maven', name: 'junit:junit' });
    expect(meta.latest).toBe('4.13.2');
    expect(meta.licenses).toEqual(['Eclipse Public License 1.0']);
    const latest = meta.versions.find((v) => v.version === '4.13.2');
    expect(latest).toEqual({ version: '4.13.2', releasedAt: '2021-02-13T16:44:33.000Z', licenses: ['Eclipse Public License 1.0'] });
    expect(meta.versions.find((v) => v.version === '4.12')).toEqual({ version: '4.12', releasedAt: null, licenses: null });
    expect(meta.versions).toHaveLength(10);
  });

  it('still answers when the search API fails, and skips it when not configured', async () => {
    // The search API has a host of its own (search.maven.org), whose outage leaves the repository asked.
    const search = await new ReplayServer().start();
    search.route('/search-down', { status: 500 });
    try {
      const meta = await registryMetadata(ctxWith({ maven: { ...server.ctx.config.registries.maven, searchUrl: `${search.url}/search-down` } }), {
        format: 'maven',
        name: 'junit:junit',
      });
      expect(meta.latest).toBe('4.13.2');
      expect(search.hitsOf('/search-down')).toBe(2);
    } finally {
      await search.close();
    }
    await clearRegistryCache(server.ctx);
    replay.resetHits();
    for (const searchUrl of ['', 'off']) {
      await clearRegistryCache(server.ctx);
      await registryMetadata(ctxWith({ maven: { ...server.ctx.config.registries.maven, searchUrl } }), { format: 'maven', name: 'junit:junit' });
    }
    expect(replay.hitsOf('/maven2/junit/junit/maven-metadata.xml')).toBe(2);
    expect(replay.requests.some((r) => r.includes('solrsearch'))).toBe(false);
  });

  it('says "not found in Maven Central" for an unknown artifact', async () => {
    const err = await caught(registryMetadata(ctxWith(), { format: 'maven', name: 'org.example:nothing' }));
    expect(err).toBeInstanceOf(RegistryNotFoundError);
    expect(err?.message).toBe('Maven artifact "org.example:nothing" was not found in Maven Central.');
  });

  it('refuses a POM that declares entities', async () => {
    replay.route('/maven2/org/example/evil/maven-metadata.xml', {
      body: '<metadata><versioning><release>1.0</release><versions><version>1.0</version></versions></versioning></metadata>',
    });
    replay.route('/maven2/org/example/evil/1.0/evil-1.0.pom', {
      body: '<?xml version="1.0"?><!DOCTYPE project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><project><licenses><license><name>&b;</name></license></licenses></project>',
    });
    const err = await caught(registryMetadata(ctxWith(), { format: 'maven', name: 'org.example:evil' }));
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err?.message).toBe('Maven Central sent an unusable answer for the POM of org.example:evil:1.0: it declares XML entities, which are refused.');
  });
});

describe('PyPI', () => {
  it('asks under the normalized name and reads releases and licenses', async () => {
    const meta = await registryMetadata(ctxWith(), { format: 'pypi', name: 'Requests' });
    expect(meta).toMatchObject({ ecosystem: 'pypi', name: 'requests', latest: '2.32.3' });
    expect(meta.licenses).toContain('License :: OSI Approved :: Apache Software License');
    expect(meta.versions.find((v) => v.version === '2.32.0')?.yanked).toBe(true);
    expect(replay.hitsOf('/pypi/requests/json')).toBe(1);
    await registryMetadata(ctxWith(), { format: 'PyPI', name: 'REQUESTS' });
    expect(replay.hitsOf('/pypi/requests/json')).toBe(1);
  });

  it('says "not found in PyPI" for an unknown project', async () => {
    const err = await caught(registryMetadata(ctxWith(), { format: 'pypi', name: 'no_such_project' }));
    expect(err?.message).toBe('PyPI project "no-such-project" was not found in PyPI.');
  });
});

describe('requests the service cannot serve', () => {
  it('refuses unknown formats and malformed names without asking anyone', async () => {
    for (const [format, name, message] of [
      ['cran', 'readxl', /not available for format "cran"; known formats: npm, maven, pypi, cargo, gem, nuget, composer, golang/],
      ['constructor', 'x', /not available for format "constructor"/],
      ['npm', 'has space', /not a valid npm package name/],
      ['maven', 'junit', /expected groupId:artifactId/],
      ['pypi', '../x', /not a valid Python package name/],
    ] as const) {
      const err = await caught(registryMetadata(ctxWith(), { format, name }));
      expect(err).toBeInstanceOf(ValidationError);
      expect(err?.message).toMatch(message);
    }
    expect(replay.requests).toEqual([]);
  });
});

describe('one version’s facts', () => {
  it('npm: age, latest, distance and licenses from the package document alone', async () => {
    const facts = await registryVersionFacts(ctxWith(), { format: 'npm', name: 'left-pad', version: '1.2.0' });
    expect(facts.version).toEqual({ version: '1.2.0', releasedAt: '2024-12-04T22:47:07.925Z', licenses: ['WTFPL'], dependencies: {} });
    expect(facts).toMatchObject({ ageInDays: 718, isLatest: false, distanceFromLatest: 1 });
    expect(facts.metadata.latest).toBe('1.3.0');
    expect(replay.requests).toHaveLength(1);
    const latest = await registryVersionFacts(ctxWith(), { format: 'npm', name: 'left-pad', version: '1.3.0' });
    expect(latest).toMatchObject({ isLatest: true, distanceFromLatest: 0 });
  });

  it('a version the registry does not list has no entry, but a distance', async () => {
    const facts = await registryVersionFacts(ctxWith(), { format: 'npm', name: 'left-pad', version: '9.9.9' });
    expect(facts).toMatchObject({ version: null, ageInDays: null, isLatest: false, distanceFromLatest: -1 });
  });

  it('Maven: licenses and date from that version’s POM, fetched once', async () => {
    const facts = await registryVersionFacts(ctxWith(), { format: 'maven', name: 'junit:junit', version: '4.12' });
    expect(facts.version).toEqual({ version: '4.12', releasedAt: '2014-12-04T16:17:09.000Z', licenses: ['Eclipse Public License 1.0'] });
    expect(facts).toMatchObject({ isLatest: false, distanceFromLatest: 8 });
    await registryVersionFacts(ctxWith(), { format: 'maven', name: 'junit:junit', version: '4.12' });
    expect(replay.hitsOf(JUNIT_412_POM)).toBe(1);
  });

  it('PyPI: licenses from the release’s own document, which differ from the latest’s', async () => {
    const facts = await registryVersionFacts(ctxWith(), { format: 'pypi', name: 'requests', version: '2.31.0' });
    expect(facts.version?.licenses).toEqual(['Apache 2.0', 'License :: OSI Approved :: Apache Software License']);
    expect(facts.metadata.licenses?.[0]).toBe('Apache-2.0');
    expect(facts.distanceFromLatest).toBe(4);
    expect(replay.hitsOf('/pypi/requests/2.31.0/json')).toBe(1);
  });

  it('leaves licenses unknown when the version has no document of its own, or offline', async () => {
    const missing = await registryVersionFacts(ctxWith(), { format: 'pypi', name: 'requests', version: '2.28.2' });
    expect(missing.version).toMatchObject({ version: '2.28.2', licenses: null, releasedAt: '2023-01-12T16:24:52.252Z' });
    const offline = await registryVersionFacts(ctxWith({ offline: true }), { format: 'pypi', name: 'requests', version: '2.31.0' });
    expect(offline.version?.licenses).toBeNull();
    expect(replay.hitsOf('/pypi/requests/2.31.0/json')).toBe(0);
  });
});
