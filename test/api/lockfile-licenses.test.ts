import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetRegistryCircuits } from '../../src/intel/registries/index.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../helpers/registry-replay.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';

/**
 * Lockfiles declare no licenses (yarn.lock, Cargo.lock, Gemfile.lock, composer.lock, poetry.lock):
 * before, every component of such an evaluation was License-None. The registries are the source
 * now: a first evaluation says the licenses are not fetched yet and queues the fetch; the next has
 * the licenses each registry declares, normalized to SPDX, with where they came from. Registries
 * are stand-ins serving recorded answers (npm's captured here, the rest in ../shared).
 */
const LOCKFILES = fileURLToPath(new URL('../fixtures/lockfiles/registry-licenses/', import.meta.url));
const shared = sharedRegistryFixtures();

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the reference schema, then read freely.
type Json = Record<string, any>;

let server: TestServer;
let own: RegistryReplay;
let recorded: RegistryReplay | undefined;

beforeAll(async () => {
  own = await new RegistryReplay(OWN_REGISTRY_FIXTURES).start();
  recorded = shared ? await new RegistryReplay(shared).start() : undefined;
  // Without ../shared the other registries point at a closed port: their components stay unknown.
  const elsewhere = recorded?.url ?? 'http://127.0.0.1:9';
  resetRegistryCircuits();
  server = await startTestServer({
    registries: {
      npm: { url: `${own.url}/npm/` },
      pypi: { url: elsewhere },
      cargo: { url: `${elsewhere}/crates` },
      gem: { url: `${elsewhere}/rubygems` },
      composer: { url: `${elsewhere}/packagist` },
    },
  });
});
afterAll(async () => {
  await server?.close();
  await own?.close();
  await recorded?.close();
});

/** A report's components by package URL: the raw report's, each with the policies it violates (the policy report's). */
async function reported(publicId: string, scanId: string): Promise<Map<string, Json>> {
  const raw = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/raw`);
  expect(raw.status).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
  const policy = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/policy`);
  expect(policy.status).toBe(200);
  const violated = new Map<string, string[]>(policy.body.components.map((c: Json) => [c.packageUrl, c.violations.map((v: Json) => v.policyName)]));
  return new Map(raw.body.components.map((c: Json) => [c.packageUrl, { ...c, violated: violated.get(c.packageUrl) ?? [] }]));
}

/** Scans a lockfile twice, running the background fetch between. */
async function scanTwice(appId: string, publicId: string, fileName: string) {
  const body = readFileSync(`${LOCKFILES}${fileName}`, 'utf8');
  const first = await scanAndWait(server, appId, body, { fileName, contentType: 'text/plain' });
  const before = await reported(publicId, first.scanId);
  await server.jobs.drain();
  const second = await scanAndWait(server, appId, body, { fileName, contentType: 'text/plain' });
  return { before, after: await reported(publicId, second.scanId) };
}

const declared = (c: Json) => c.licenseData.declaredLicenses.map((l: Json) => l.licenseId);
const licenseNone = (c: Json) => c.violated.includes('License-None');

describe('declared licenses of lockfile components come from their registries', () => {
  it('yarn.lock: npm’s per-version license, after the first evaluation said it was not yet fetched', async () => {
    const appId = await createApplication(server, 'yarn-licenses');
    const { before, after } = await scanTwice(appId, 'yarn-licenses', 'yarn.lock');
    const first = before.get('pkg:npm/json-schema@0.4.0')!;
    expect(declared(first)).toEqual(['Not-Declared']);
    expect(first.tollgate.unknownFacts).toContainEqual({ fact: 'license', reason: 'not yet fetched', registry: 'the npm registry' });
    expect(declared(after.get('pkg:npm/json-schema@0.4.0')!)).toEqual(['AFL-2.1 OR BSD-3-Clause']);
    expect(after.get('pkg:npm/json-schema@0.4.0')!.tollgate.licenseSource).toBe('registry:npm');
    // tweetnacl 0.14.5 is not the latest (1.0.3): its own version's license is taken.
    expect(declared(after.get('pkg:npm/tweetnacl@0.14.5')!)).toEqual(['Unlicense']);
    for (const c of after.values()) expect(c.tollgate.unknownFacts ?? []).not.toContainEqual(expect.objectContaining({ fact: 'license' }));
  });

  describe.skipIf(!shared)('recorded crates.io, RubyGems, Packagist and PyPI answers', () => {
    it.each([
      [
        'Cargo.lock',
        {
          'pkg:cargo/bitflags@1.0.1': ['MIT OR Apache-2.0'],
          'pkg:cargo/rand@0.7.3': ['MIT OR Apache-2.0'],
          'pkg:cargo/regex@1.0.0': ['MIT OR Apache-2.0'],
        },
        'registry:cargo',
      ],
      ['Gemfile.lock', { 'pkg:gem/i18n@1.0.1': ['MIT'], 'pkg:gem/public_suffix@3.0.2': ['MIT'] }, 'registry:gem'],
      ['composer.lock', { 'pkg:composer/monolog/monolog@3.2.0': ['MIT'] }, 'registry:composer'],
      // celery's field says only "BSD", which spdx-correct reads as BSD-2-Clause.
      ['poetry.lock', { 'pkg:pypi/flask@1.1.2': ['BSD-3-Clause'], 'pkg:pypi/celery@4.4.0': ['BSD-2-Clause'] }, 'registry:pypi'],
    ])('%s', async (fileName, expected, source) => {
      const publicId = `licenses-${fileName.replace(/\W/g, '-').toLowerCase()}`;
      const appId = await createApplication(server, publicId);
      const { before, after } = await scanTwice(appId, publicId, fileName);
      for (const [purl, licenses] of Object.entries(expected)) {
        expect(declared(before.get(purl)!), purl).toEqual(['Not-Declared']);
        expect(licenseNone(before.get(purl)!), purl).toBe(true);
        const c = after.get(purl)!;
        expect(declared(c), purl).toEqual(licenses);
        expect(c.tollgate.licenseSource, purl).toBe(source);
        expect(licenseNone(c), purl).toBe(false);
      }
    });

    it('Gemfile.lock: a gem the registry does not know stays Not-Declared, and the report says why', async () => {
      const appId = await createApplication(server, 'gem-unknown');
      const { after } = await scanTwice(appId, 'gem-unknown', 'Gemfile.lock');
      const c = after.get('pkg:gem/concurrent-ruby@1.0.5')!;
      expect(declared(c)).toEqual(['Not-Declared']);
      expect(c.tollgate.unknownFacts).toContainEqual({ fact: 'license', reason: 'not in registry', registry: 'RubyGems' });
    });
  });
});
