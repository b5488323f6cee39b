import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getReport, reportsHoldingViolations } from '../../src/services/reports/reports.js';
import { migratorFor } from '../../src/store/migrate.js';
import { createApplication } from '../evaluation/scan.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Reports written before the stored form and the policy violations table: the migration indexes
 * which policies they violate, and they still read as they were.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const legacyData = {
  version: 1,
  summary: {
    outcome: 'warn',
    totalComponents: 2,
    knownComponents: 2,
    affectedComponents: 2,
    openViolations: { critical: 0, severe: 1, moderate: 0 },
    componentsAffected: { critical: 0, severe: 1, moderate: 0 },
    waivedViolations: 1,
  },
  components: [
    { hash: 'a1'.repeat(10), packageUrl: 'pkg:npm/left-pad@1.0.0', displayName: 'left-pad 1.0.0', matchState: 'exact', proprietary: false, licenseData: {}, securityIssues: [], labelIds: [], violations: [
      { policyViolationId: '1'.repeat(32), policyId: 'pol-a', policyName: 'A', policyThreatLevel: 5, policyThreatCategory: 'LICENSE', waived: false, constraints: [
        { constraintId: 'k', constraintName: 'Copyleft', conditions: [{ conditionSummary: 'License is GPL', conditionReason: 'Found license GPL-3.0' }] },
      ] },
    ] },
    { hash: 'b2'.repeat(10), displayName: 'mystery.jar', matchState: 'unknown', proprietary: false, licenseData: {}, securityIssues: [], labelIds: [], violations: [
      { policyViolationId: '2'.repeat(32), policyId: 'pol-b', policyName: 'B', policyThreatLevel: 2, policyThreatCategory: 'QUALITY', waived: true, constraints: [] },
    ] },
  ],
};

describe('report storage migration', () => {
  it('indexes the policy violations of reports written before it, which still read as they were', async () => {
    const applicationId = await createApplication(server, 'legacy-reports');
    const migrator = await migratorFor(server.ctx.store);
    const down = await migrator.migrateTo('20261123_0840_waivers');
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => `${r.direction} ${r.migrationName}`)).toContain('Down 20261124_0900_report_storage');

    const counts = Object.fromEntries(
      Object.entries(legacyData.summary.openViolations).map(([k, v]) => [`${k}_violations`, v]),
    );
    // biome-ignore lint/suspicious/noExplicitAny: the table as it was before the migration.
    await (server.ctx.store.db as any)
      .insertInto('reports')
      .values({
        id: 'f'.repeat(32),
        application_id: applicationId,
        stage: 'build',
        source: 'cyclonedx',
        created_at: '2026-11-01T00:00:00.000Z',
        policy_action: 'Warning',
        total_components: 2,
        known_components: 2,
        affected_components: 2,
        ...counts,
        critical_components: 0,
        severe_components: 1,
        moderate_components: 0,
        waived_violations: 1,
        data: JSON.stringify(legacyData),
      })
      .execute();

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await server.ctx.store.db.selectFrom('report_policy_violations').selectAll().where('report_id', '=', 'f'.repeat(32)).orderBy('policy_id').execute();
    expect(rows).toEqual([
      { report_id: 'f'.repeat(32), policy_id: 'pol-a', component_keys: '["pkg:npm/left-pad@1.0.0"]' },
      { report_id: 'f'.repeat(32), policy_id: 'pol-b', component_keys: `["${'b2'.repeat(10)}"]` },
    ]);
    // Its violation ids name no report (they were random then): they are found in its text.
    const holding = await reportsHoldingViolations(server.ctx, ['2'.repeat(32), '3'.repeat(32)]);
    expect([...holding]).toEqual([['2'.repeat(32), { id: 'f'.repeat(32), application_id: applicationId }]]);
    const { data } = await getReport(server.ctx, applicationId, 'f'.repeat(32));
    // As it was, its conditions in today's field names.
    const expected = structuredClone(legacyData);
    expected.components[0].violations[0].constraints = [{ constraintId: 'k', constraintName: 'Copyleft', conditions: [{ summary: 'License is GPL', reason: 'Found license GPL-3.0' } as never] }];
    expect(data).toEqual(expected);
  });
});
