import { describe, expect, it } from 'vitest';
import type { PolicyReport, RawReport } from '../src/api/types';
import { buildRows, countRows, filterRows, issueRows, licenseRows, NO_FILTER, policyAction, threatBand, violationRows } from '../src/lib/report-model';

const raw: RawReport = {
  matchSummary: { knownComponentCount: 3, totalComponentCount: 3 },
  components: [
    {
      packageUrl: 'pkg:npm/lodash@4.17.4',
      hash: 'aaa',
      componentIdentifier: { format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.4' } },
      licenseData: { declaredLicenses: [{ licenseId: 'MIT' }], effectiveLicenses: [{ licenseId: 'MIT' }] },
      securityData: { securityIssues: [{ reference: 'CVE-2019-10744', severity: 9.1 }, { reference: 'CVE-2018-3721', severity: 6.5 }] },
      dependencyData: { directDependency: true },
    },
    {
      packageUrl: 'pkg:maven/org.example/thing@1.0',
      componentIdentifier: { format: 'maven', coordinates: { groupId: 'org.example', artifactId: 'thing', version: '1.0' } },
      licenseData: { declaredLicenses: [{ licenseId: 'GPL-3.0-only' }] },
      dependencyData: { directDependency: false },
    },
    { hash: 'ccc', displayName: 'in-house.jar' },
  ],
};
const policy: PolicyReport = {
  application: { id: 'a', publicId: 'app', name: 'App', organizationId: 'o' },
  reportTime: 0,
  reportTitle: '',
  initiator: 'admin',
  counts: {},
  components: [
    {
      packageUrl: 'pkg:npm/lodash@4.17.4',
      violations: [
        { policyId: 'p1', policyName: 'Security-Critical', policyViolationId: 'v1', policyThreatLevel: 10, constraints: [{ constraintId: 'c', constraintName: 'Critical', conditions: [{ conditionSummary: 'Security Vulnerability Severity >= 9', conditionReason: 'Found CVE-2019-10744' }] }] },
        { policyId: 'p2', policyName: 'Security-Medium', policyViolationId: 'v2', policyThreatLevel: 5, waived: true },
      ],
    },
    { packageUrl: 'pkg:maven/org.example/thing@1.0', violations: [{ policyId: 'p3', policyName: 'License-Copyleft', policyViolationId: 'v3', policyThreatLevel: 7 }] },
  ],
};

describe('the report page model', () => {
  const rows = buildRows(raw, policy);

  it('joins violations to components and takes the highest open threat (waived ones do not count)', () => {
    expect(rows.map((r) => [r.name, r.version, r.threat, r.openViolations, r.waivedViolations])).toEqual([
      ['lodash', '4.17.4', 10, 1, 1],
      ['org.example:thing', '1.0', 7, 1, 0],
      ['in-house.jar', '', 0, 0, 0],
    ]);
    expect(rows[0].maxSeverity).toBe(9.1);
    expect(rows[1].licenses).toEqual(['GPL-3.0-only']);
  });

  it('searches every word across names, licenses and vulnerability ids, and filters by threat, dependency and vulnerabilities', () => {
    const names = (filter: Partial<typeof NO_FILTER>) => filterRows(rows, { ...NO_FILTER, ...filter }).map((r) => r.name);
    expect(names({ text: 'cve-2019' })).toEqual(['lodash']);
    expect(names({ text: 'GPL example' })).toEqual(['org.example:thing']);
    expect(names({ text: 'GPL lodash' })).toEqual([]);
    expect(names({ minThreat: 8 })).toEqual(['lodash']);
    expect(names({ dependency: 'transitive' })).toEqual(['org.example:thing']);
    expect(names({ vulnerable: true })).toEqual(['lodash']);
    expect(names({})).toHaveLength(3);
  });

  it('lists violations and issues worst first, licenses by use, and counts by band', () => {
    expect(violationRows(rows).map((v) => [v.violation.policyName, v.summary])).toEqual([
      ['Security-Critical', 'Found CVE-2019-10744'],
      ['License-Copyleft', ''],
      ['Security-Medium', ''],
    ]);
    expect(issueRows(rows).map((i) => i.issue.reference)).toEqual(['CVE-2019-10744', 'CVE-2018-3721']);
    expect(licenseRows(rows).map((l) => [l.license, l.components.length])).toEqual([
      ['(no license found)', 1],
      ['GPL-3.0-only', 1],
      ['MIT', 1],
    ]);
    expect(countRows(rows)).toMatchObject({ components: 3, direct: 1, openViolations: 2, waivedViolations: 1, bands: { critical: 1, severe: 1, moderate: 0, low: 0 }, vulnerabilities: 2, licenses: 2 });
  });

  it('names threat bands and policy actions as IQ does', () => {
    expect([10, 8, 7, 4, 3, 2, 1, 0].map(threatBand)).toEqual(['critical', 'critical', 'severe', 'severe', 'moderate', 'moderate', 'low', 'none']);
    expect(policyAction({ tollgate: { policyAction: 'Warning' }, policyEvaluationResult: { alerts: [] } })).toBe('Warning');
    // IQ Server says it through the alerts.
    expect(policyAction({ policyEvaluationResult: { alerts: [{ actions: [{ actionTypeId: 'warn' }] }, { actions: [{ actionTypeId: 'fail' }] }] } })).toBe('Failure');
    expect(policyAction({ policyEvaluationResult: { alerts: [{ actions: [{ actionTypeId: 'warn' }] }] } })).toBe('Warning');
    expect(policyAction({ policyEvaluationResult: { alerts: [] } })).toBe('None');
  });
});
