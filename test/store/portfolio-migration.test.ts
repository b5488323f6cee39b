import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migratorFor } from '../../src/store/migrate.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createApplication } from '../evaluation/scan.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The portfolio tables (latest reports, their components, violations by policy, the changes) of
 * reports written before them are filled in by their migration as the writers would have written them.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
});
afterAll(async () => {
  await server?.close();
});

const GPL = { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' };
const AGPL = { name: 'agpl-lib', version: '2.0.0', purl: 'pkg:npm/agpl-lib@2.0.0', license: 'AGPL-3.0-only' };
const MIT = { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' };

async function snapshot() {
  const db = server.ctx.store.db;
  const order = ['application_id', 'stage'] as const;
  return {
    latest: await db.selectFrom('latest_reports').selectAll().orderBy(order[0]).orderBy(order[1]).execute(),
    components: await db.selectFrom('latest_report_components').selectAll().orderBy(order[0]).orderBy(order[1]).orderBy('component_key').execute(),
    violations: await db.selectFrom('latest_policy_violations').selectAll().orderBy(order[0]).orderBy(order[1]).orderBy('policy_id').execute(),
    changes: await db.selectFrom('portfolio_changes').selectAll().orderBy(order[0]).orderBy(order[1]).orderBy('created_at').execute(),
  };
}

describe('portfolio migration', () => {
  it('fills the portfolio tables from the reports stored before it as the writers do', async () => {
    const a = await createApplication(server, 'portfolio-a');
    const b = await createApplication(server, 'portfolio-b');
    await scanAndWait(server, a, cycloneDxJson([GPL, MIT]), { stage: 'build' });
    await scanAndWait(server, a, cycloneDxJson([GPL, AGPL, MIT]), { stage: 'build' }); // readline's violation opened with the first
    await scanAndWait(server, a, cycloneDxJson([MIT]), { stage: 'release' });
    await scanAndWait(server, b, cycloneDxJson([AGPL]), { stage: 'build' });
    const written = await snapshot();
    expect(written.latest).toHaveLength(3);
    expect(written.components.length).toBeGreaterThan(0);
    expect(written.changes).toHaveLength(4);
    const opened = written.violations.flatMap((r) => JSON.parse(r.violations) as Array<{ key: string; openTime: string }>).map((v) => v.openTime);
    expect(new Set(opened).size).toBeGreaterThan(1); // readline's is older than agpl-lib's

    const migrator = await migratorFor(server.ctx.store);
    const down = await migrator.migrateTo('20261207_2300_idempotency');
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => `${r.direction} ${r.migrationName}`)).toContain('Down 20261208_0200_portfolio');
    await migrateToLatest(server.ctx.store);
    expect(await snapshot()).toEqual(written);

    const dashboard = await server.request('GET', '/api/v2/dashboard');
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.latestReports).toBe(3);
  });
});
