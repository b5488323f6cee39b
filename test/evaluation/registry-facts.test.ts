import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { ComponentIdentifier } from '../../src/ecosystems/types.js';
import { registryFactsFor } from '../../src/evaluation/registry-facts.js';
import { registryMetadata, resetRegistryCircuits } from '../../src/intel/registries/index.js';
import type { AppContext } from '../../src/core/context.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Registry facts come from the registry cache alone, whatever the configuration: what it lacks is
 * named as unknown, with why, and listed for the background fetch. What a cached document says of
 * a version is remembered until the document is fetched again, and then read anew.
 */
let server: TestServer;
let now = new Date('2026-06-01T00:00:00Z');
beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  server.ctx.now = () => now;
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  now = new Date('2026-06-01T00:00:00Z');
  resetRegistryCircuits();
  await server.ctx.store.db.deleteFrom('registry_cache').execute();
});

/** The test server's context with other registry settings (nothing here asks a registry). */
function online(registries: Partial<Config['registries']> = {}): AppContext {
  const base = server.ctx;
  return { ...base, config: { ...base.config, registries: { ...base.config.registries, offline: false, ...registries } } };
}

const npm = (name: string, version: string): ComponentIdentifier => ({ format: 'npm', coordinates: { packageId: name, version } });
const pypi = (name: string, version: string): ComponentIdentifier => ({ format: 'pypi', coordinates: { name, version } });
const facts = (identifier: ComponentIdentifier | undefined, wantsLicense = false) => ({ identifier, wantsLicense });

async function cache(kind: string, name: string, fetchedAt: string, expiresAt: string, document: unknown) {
  await server.ctx.store.db.deleteFrom('registry_cache').where('ecosystem', '=', kind).where('name', '=', name).execute();
  await server.ctx.store.db.insertInto('registry_cache').values({ ecosystem: kind, name, fetched_at: fetchedAt, expires_at: expiresAt, document: JSON.stringify(document) }).execute();
}

async function cacheNpm(name: string, fetchedAt: string, versions: Array<[string, string]>, latest: string, expiresAt = '2026-06-02T00:00:00.000Z') {
  const value = { ecosystem: 'npm', name, latest, licenses: ['MIT'], versions: versions.map(([version, releasedAt]) => ({ version, releasedAt, licenses: ['MIT'] })) };
  await cache('npm', name, fetchedAt, expiresAt, { v: 1, found: true, value });
}

const unknownAll = (reason: string, registry?: string, withLicense = false) =>
  (['age', 'latest', 'versionDistance', ...(withLicense ? ['license'] : [])] as const).map((fact) => (registry ? { fact, reason, registry } : { fact, reason }));

describe('registry facts from the cache', () => {
  it('answers from the cached document, and again after it is fetched anew', async () => {
    await cacheNpm('leftish', '2026-05-01T00:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z'], ['1.1.0', '2026-05-01T00:00:00Z']], '1.1.0');
    const ask = async () => (await registryFactsFor(server.ctx, [facts(npm('leftish', '1.0.0')), facts(npm('leftish', '1.1.0'))])).components.map((c) => c.facts);
    expect(await ask()).toEqual([{ ageInDays: 151, isLatest: false, versionDistance: 1 }, { ageInDays: 31, isLatest: true, versionDistance: 0 }]);
    // The same answers, and the age follows the clock.
    now = new Date('2026-06-02T00:00:00Z');
    expect((await ask())[0]).toEqual({ ageInDays: 152, isLatest: false, versionDistance: 1 });
    // Fetched again: 1.2.0 is out, so 1.1.0 is no longer the latest.
    await cacheNpm('leftish', '2026-06-01T12:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z'], ['1.1.0', '2026-05-01T00:00:00Z'], ['1.2.0', '2026-06-01T00:00:00Z']], '1.2.0');
    const again = await ask();
    expect(again[1]).toEqual({ ageInDays: 32, isLatest: false, versionDistance: 1 });
    expect(again[0]).toEqual({ ageInDays: 152, isLatest: false, versionDistance: 2 });
  });

  it('says why each fact is unknown: not cached offline, not in the registry, not identified, no registry for the format', async () => {
    await cache('npm', 'missing-pkg', '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', { v: 1, found: false });
    await cacheNpm('listed', '2026-05-01T00:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z']], '1.0.0');
    const conan: ComponentIdentifier = { format: 'conan', coordinates: { name: 'zlib', version: '1.2.13' } };
    const { components, fetches } = await registryFactsFor(server.ctx, [
      facts(npm('missing-pkg', '1.0.0')),
      facts(npm('never-cached', '1.0.0'), true),
      facts(npm('listed', '9.9.9')),
      facts(conan),
      facts(undefined),
    ]);
    expect(components.map((c) => c.unknown)).toEqual([
      unknownAll('not in registry', 'the npm registry'),
      unknownAll('offline', 'the npm registry', true),
      // Not listed: no age, not the latest as far as anyone can tell; its distance is placed by comparison.
      [
        { fact: 'age', reason: 'not in registry', registry: 'the npm registry' },
        { fact: 'latest', reason: 'not in registry', registry: 'the npm registry' },
      ],
      unknownAll('no registry for this format'),
      unknownAll('not identified'),
    ]);
    expect(components[2].facts).toEqual({ versionDistance: -1 });
    // Offline: nothing to fetch.
    expect(fetches).toEqual([]);
  });

  it('online, lists what the cache lacks for the background fetch, and uses expired answers while listing them again', async () => {
    await cacheNpm('expired', '2026-01-01T00:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z']], '1.0.0', '2026-01-02T00:00:00.000Z');
    const { components, fetches } = await registryFactsFor(online(), [
      facts(npm('expired', '1.0.0')),
      facts(npm('absent', '2.0.0')),
      facts(npm('absent', '2.1.0'), true),
      facts(npm('Not A Name!', '1.0.0')),
      facts(npm('absent-too', '1.0.0')),
    ]);
    expect(components[0]).toEqual({ ecosystem: 'npm', facts: { ageInDays: 151, isLatest: true, versionDistance: 0 } });
    expect(components[1].unknown).toEqual(unknownAll('not yet fetched', 'the npm registry'));
    expect(components[2].unknown).toEqual(unknownAll('not yet fetched', 'the npm registry', true));
    // Components unknown for the same reasons share one list.
    expect(components[4].unknown).toBe(components[1].unknown);
    expect(components[3].unknown).toEqual(unknownAll('not in registry', 'the npm registry'));
    expect(fetches).toEqual([
      { format: 'npm', name: 'expired', versions: [] },
      { format: 'npm', name: 'absent', versions: ['2.1.0'] },
      { format: 'npm', name: 'absent-too', versions: [] },
    ]);
  });

  it('does not list packages of a registry known to be down: their facts are unknown because it is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const ctx = online({ pypi: { url: `http://127.0.0.1:${port}` } });
    await registryMetadata(ctx, { format: 'pypi', name: 'requests' }).catch(() => undefined);
    const { components, fetches } = await registryFactsFor(ctx, [facts(pypi('requests', '2.31.0'), true), facts(npm('other', '1.0.0'))]);
    expect(components[0].unknown).toEqual(unknownAll('registry unreachable', 'PyPI', true));
    expect(fetches).toEqual([{ format: 'npm', name: 'other', versions: [] }]);
  });
});

describe('declared licenses from the registry', () => {
  const pypiDocument = (versions: string[], latest: string) => ({
    v: 1,
    found: true,
    value: {
      ecosystem: 'pypi',
      name: 'attrs',
      latest,
      licenses: ['MIT'],
      versions: versions.map((version) => ({ version, releasedAt: '2025-01-01T00:00:00.000Z', licenses: version === latest ? ['MIT'] : null })),
    },
  });

  it('come from the package document where it has them, else from the version’s own document, else are unknown and fetched', async () => {
    await cacheNpm('licensed', '2026-05-01T00:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z']], '1.0.0');
    await cache('pypi', 'attrs', '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', pypiDocument(['21.4.0', '22.1.0', '23.1.0'], '23.1.0'));
    await cache('pypi-version', 'attrs@21.4.0', '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', { v: 1, found: true, value: { licenses: ['BSD'], releasedAt: null } });
    await cache('pypi-version', 'attrs@22.1.0', '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', { v: 1, found: false });
    const { components, fetches } = await registryFactsFor(online(), [
      facts(npm('licensed', '1.0.0'), true),
      facts(pypi('attrs', '23.1.0'), true),
      facts(pypi('attrs', '21.4.0'), true),
      facts(pypi('attrs', '22.1.0'), true),
      facts(pypi('attrs', '20.3.0'), true),
      facts(pypi('attrs', '21.4.0'), false),
    ]);
    expect(components.map((c) => c.licenses)).toEqual([['MIT'], ['MIT'], ['BSD'], undefined, undefined, undefined]);
    expect(components[3].unknown).toEqual([{ fact: 'license', reason: 'not in registry', registry: 'PyPI' }]);
    expect(components[4].unknown?.map((u) => [u.fact, u.reason])).toEqual([
      ['age', 'not in registry'],
      ['latest', 'not in registry'],
      ['license', 'not in registry'],
    ]);
    expect(components[5].unknown).toBeUndefined();
    expect(fetches).toEqual([]);

    // A version whose document is not cached yet: its license is unknown, and its document is fetched.
    await server.ctx.store.db.deleteFrom('registry_cache').where('ecosystem', '=', 'pypi-version').execute();
    const later = await registryFactsFor(online(), [facts(pypi('attrs', '21.4.0'), true)]);
    expect(later.components[0].unknown).toEqual([{ fact: 'license', reason: 'not yet fetched', registry: 'PyPI' }]);
    expect(later.fetches).toEqual([{ format: 'pypi', name: 'attrs', versions: ['21.4.0'] }]);
  });
  it('Go: a version is dated and licensed by its own document, and a pseudo-version the proxy does not list exists when its document does', async () => {
    const golang = (version: string): ComponentIdentifier => ({ format: 'golang', coordinates: { name: 'golang.org/x/crypto', version } });
    const PSEUDO = 'v0.0.0-20200622213623-75b288015ac9';
    const module = { ecosystem: 'golang', name: 'golang.org/x/crypto', latest: 'v0.1.0', licenses: null, versions: ['v0.0.1', 'v0.1.0'].map((version) => ({ version, releasedAt: null, licenses: null })) };
    const until = '2026-07-01T00:00:00.000Z';
    await cache('golang', 'golang.org/x/crypto', '2026-05-01T00:00:00.000Z', until, { v: 1, found: true, value: module });
    await cache('golang-version', 'golang.org/x/crypto@v0.1.0', '2026-05-01T00:00:00.000Z', until, { v: 1, found: true, value: { licenses: ['BSD-3-Clause'], releasedAt: '2026-05-02T00:00:00Z' } });
    await cache('golang-version', `golang.org/x/crypto@${PSEUDO}`, '2026-05-01T00:00:00.000Z', until, { v: 1, found: true, value: { licenses: null, releasedAt: '2020-06-22T21:36:23Z' } });
    await cache('golang-version', 'golang.org/x/crypto@v0.0.0-20190101000000-000000000000', '2026-05-01T00:00:00.000Z', until, { v: 1, found: false });
    const { components, fetches } = await registryFactsFor(online(), [
      facts(golang('v0.1.0'), true),
      facts(golang(PSEUDO), true),
      facts(golang('v0.0.1'), true),
      facts(golang('v0.0.0-20190101000000-000000000000'), false),
    ]);
    expect(components[0]).toMatchObject({ facts: { ageInDays: 30, isLatest: true, versionDistance: 0 }, licenses: ['BSD-3-Clause'] });
    expect(components[0].unknown).toBeUndefined();
    // The pseudo-version: dated by its document, two releases below the latest; deps.dev did not say its license.
    expect(components[1].facts).toEqual({ ageInDays: 2169, isLatest: false, versionDistance: 2 });
    expect(components[1].unknown).toEqual([{ fact: 'license', reason: 'not stated by registry', registry: 'the Go module proxy' }]);
    // A listed version whose document is not cached yet: date and license unknown until the background fetch.
    expect(components[2].unknown?.map((u) => [u.fact, u.reason])).toEqual([
      ['age', 'not yet fetched'],
      ['license', 'not yet fetched'],
    ]);
    // A pseudo-version the proxy has no document of does not exist (its distance follows from version order alone).
    expect(components[3].unknown?.map((u) => [u.fact, u.reason])).toEqual([
      ['age', 'not in registry'],
      ['latest', 'not in registry'],
    ]);
    expect(fetches).toEqual([{ format: 'golang', name: 'golang.org/x/crypto', versions: ['v0.0.1'] }]);
  });
});
