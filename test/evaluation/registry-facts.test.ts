import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentIdentifier } from '../../src/ecosystems/types.js';
import { registryFactsFor } from '../../src/evaluation/registry-facts.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Registry facts from the registry cache (offline: nothing is fetched). What a cached document
 * says of a version is remembered until the document is fetched again, and then read anew.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  server.ctx.now = () => new Date('2026-06-01T00:00:00Z');
});
afterAll(async () => {
  await server?.close();
});

const npm = (name: string, version: string): ComponentIdentifier => ({ format: 'npm', coordinates: { packageId: name, version } });

async function cache(name: string, fetchedAt: string, versions: Array<[string, string]>, latest: string) {
  const document = JSON.stringify({
    v: 1,
    found: true,
    value: { ecosystem: 'npm', name, latest, licenses: ['MIT'], versions: versions.map(([version, releasedAt]) => ({ version, releasedAt, licenses: ['MIT'] })) },
  });
  await server.ctx.store.db.deleteFrom('registry_cache').where('ecosystem', '=', 'npm').where('name', '=', name).execute();
  await server.ctx.store.db.insertInto('registry_cache').values({ ecosystem: 'npm', name, fetched_at: fetchedAt, expires_at: '2026-06-02T00:00:00.000Z', document }).execute();
}

describe('registry facts from the cache', () => {
  it('answers from the cached document, and again after it is fetched anew', async () => {
    await cache('leftish', '2026-05-01T00:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z'], ['1.1.0', '2026-05-01T00:00:00Z']], '1.1.0');
    const ask = () => registryFactsFor(server.ctx, [npm('leftish', '1.0.0'), npm('leftish', '1.1.0'), npm('unknown-here', '1.0.0'), undefined], { budgetMs: 1000 });
    const first = await ask();
    expect(first).toEqual([{ ageInDays: 151, isLatest: false, versionDistance: 1 }, { ageInDays: 31, isLatest: true, versionDistance: 0 }, undefined, undefined]);
    // The same answers, and the age follows the clock.
    server.ctx.now = () => new Date('2026-06-02T00:00:00Z');
    expect((await ask())[0]).toEqual({ ageInDays: 152, isLatest: false, versionDistance: 1 });
    // Fetched again: 1.2.0 is out, so 1.1.0 is no longer the latest.
    await cache('leftish', '2026-06-01T12:00:00.000Z', [['1.0.0', '2026-01-01T00:00:00Z'], ['1.1.0', '2026-05-01T00:00:00Z'], ['1.2.0', '2026-06-01T00:00:00Z']], '1.2.0');
    const again = await ask();
    expect(again[1]).toEqual({ ageInDays: 32, isLatest: false, versionDistance: 1 });
    expect(again[0]).toEqual({ ageInDays: 152, isLatest: false, versionDistance: 2 });
  });

  it('knows no facts from a cached answer that the package does not exist, or one in another layout', async () => {
    await server.ctx.store.db
      .insertInto('registry_cache')
      .values([
        { ecosystem: 'npm', name: 'missing-pkg', fetched_at: '2026-05-01T00:00:00.000Z', expires_at: '2026-07-01T00:00:00.000Z', document: JSON.stringify({ v: 1, found: false }) },
        { ecosystem: 'npm', name: 'old-layout', fetched_at: '2026-05-01T00:00:00.000Z', expires_at: '2026-07-01T00:00:00.000Z', document: JSON.stringify({ versions: [] }) },
      ])
      .execute();
    expect(await registryFactsFor(server.ctx, [npm('missing-pkg', '1.0.0'), npm('old-layout', '1.0.0')], { budgetMs: 1000 })).toEqual([undefined, undefined]);
  });
});
