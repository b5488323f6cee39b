import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referencePolicies } from '../../src/policy/reference-policies.js';
import { migratorFor } from '../../src/store/migrate.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The migrations behind scores with sources: advisory records stored before `advisories.rating`
 * get theirs from their stored JSON, and installations whose reference policies predate
 * Security-Unscored get it, unless they have a policy of that name already.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const BEFORE = '20261125_1200_proprietary';

/** Hand-written records in the real OSV formats of GitHub (database_specific.severity), OSS-Fuzz (ecosystem_specific) and Ubuntu. */
const RECORDS = [
  { id: 'GHSA-m2qf-hxjv-5gpq', record: { id: 'GHSA-m2qf-hxjv-5gpq', modified: '2024-01-01T00:00:00Z', database_specific: { cwe_ids: ['CWE-539'], github_reviewed: true, severity: 'HIGH' } } },
  {
    id: 'OSV-2020-111',
    record: { id: 'OSV-2020-111', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'OSS-Fuzz', name: 'lib' }, ecosystem_specific: { severity: 'MEDIUM' } }] },
  },
  { id: 'UBUNTU-CVE-2024-1', record: { id: 'UBUNTU-CVE-2024-1', modified: '2024-01-01T00:00:00Z', severity: [{ type: 'Ubuntu', score: 'negligible' }] } },
  { id: 'GO-2022-0969', record: { id: 'GO-2022-0969', modified: '2024-01-01T00:00:00Z', database_specific: { url: 'https://pkg.go.dev/vuln/GO-2022-0969' } } },
];

describe('score migrations', () => {
  it('backfills the qualitative rating of records stored before it from their JSON', async () => {
    const migrator = await migratorFor(server.ctx.store);
    const down = await migrator.migrateTo(BEFORE);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => `${r.direction} ${r.migrationName}`)).toContain('Down 20261126_0900_advisory_ratings');
    // biome-ignore lint/suspicious/noExplicitAny: the table as it was before the migration.
    const db = server.ctx.store.db as any;
    for (const { id, record } of RECORDS) {
      await db
        .insertInto('advisories')
        .values({
          id,
          group_id: id,
          modified: '2024-01-01T00:00:00.000000000Z',
          published: null,
          withdrawn: null,
          summary: null,
          aliases: '[]',
          severity: JSON.stringify((record as { severity?: unknown }).severity ?? []),
          cwe_ids: '[]',
          source: 'old.zip',
          imported_at: '2024-01-02T00:00:00.000Z',
          record: JSON.stringify(record),
        })
        .execute();
    }
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await server.ctx.store.db.selectFrom('advisories').select(['id', 'rating']).orderBy('id').execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.rating]))).toEqual({
      'GHSA-m2qf-hxjv-5gpq': 'HIGH',
      'GO-2022-0969': null,
      'OSV-2020-111': 'MEDIUM',
      'UBUNTU-CVE-2024-1': 'NEGLIGIBLE',
    });
  });

  it('adds Security-Unscored to the root organization where it is absent, and only there', async () => {
    const db = server.ctx.store.db;
    const unscored = referencePolicies().find((p) => p.name === 'Security-Unscored')!;
    const named = () => db.selectFrom('policies').select(['id', 'threat_level', 'constraints']).where('name_key', '=', 'security-unscored').execute();
    // A new installation has it from the reference set.
    expect((await named()).map((p) => p.id)).toEqual([unscored.id]);

    // An installation from before it: the reference set without it.
    const migrator = await migratorFor(server.ctx.store);
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    await db.deleteFrom('policies').where('id', '=', unscored.id).execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const added = await named();
    expect(added.map((p) => [p.id, p.threat_level])).toEqual([[unscored.id, 7]]);
    expect(JSON.parse(added[0].constraints)[0].conditions[0]).toMatchObject({ conditionTypeId: 'SecurityVulnerabilityScoreSource', operator: 'is', value: 'unscored' });

    // One that made its own policy of that name keeps it, and gets no second one.
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    await db.updateTable('policies').set({ id: 'own-unscored-policy', threat_level: 9 }).where('id', '=', unscored.id).execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect((await named()).map((p) => [p.id, p.threat_level])).toEqual([['own-unscored-policy', 9]]);
  });
});
