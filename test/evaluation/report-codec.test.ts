import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ReportComponent, type ReportData, scoreSourceOf } from '../../src/evaluation/report.js';
import { decodeReport, encodeReport } from '../../src/evaluation/report-codec.js';

const license = (id: string): ReportComponent['licenseData'] => ({
  declaredLicenses: [{ licenseId: id, licenseName: id }],
  observedLicenses: [],
  effectiveLicenses: [{ licenseId: id, licenseName: id }],
  overriddenLicenses: [],
  status: 'Open',
  effectiveLicenseThreats: [{ licenseThreatGroupCategory: 'liberal', licenseThreatGroupLevel: 0, licenseThreatGroupName: 'Liberal' }],
});

const issue = (reference: string, extra: Partial<ReportComponent['securityIssues'][number]> = {}) => ({
  reference,
  aliases: [`GHSA-${reference.slice(-4)}-aaaa-bbbb`],
  source: 'cve',
  url: `https://osv.dev/vulnerability/${reference}`,
  severity: 7.5,
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  threatCategory: 'severe',
  cwe: 'CWE-79',
  status: 'Open',
  summary: 'Cross-site scripting in $& templates',
  ...extra,
});

const severityConditions = (ref: string, score: number) => [
  {
    summary: 'Security Vulnerability Severity >= 7',
    reason: `Found security vulnerability ${ref} with severity >= 7 (severity = ${score})`,
    reference: { type: 'SECURITY_VULNERABILITY_REFID', value: ref },
  },
  { summary: 'Security Vulnerability Status is not NOT_APPLICABLE', reason: `Found security vulnerability ${ref} with status 'OPEN'`, reference: { type: 'SECURITY_VULNERABILITY_REFID', value: ref } },
];

function component(n: number, issues: ReportComponent['securityIssues'], violations: ReportComponent['violations']): ReportComponent {
  return {
    hash: `${n}`.padStart(20, '0'),
    packageUrl: `pkg:pypi/lib-${n}@1.${n}`,
    componentIdentifier: { format: 'pypi', coordinates: { name: `lib-${n}`, qualifier: '', extension: 'tar.gz', version: `1.${n}` } },
    displayName: `lib-${n} 1.${n}`,
    matchState: 'exact',
    proprietary: false,
    licenseData: license(n % 2 ? 'MIT' : 'Apache-2.0'),
    securityIssues: issues,
    labelIds: [],
    dependency: { direct: n === 0, depth: n, parentPackageUrls: n ? [`pkg:pypi/lib-${n - 1}@1.${n - 1}`] : [] },
    violations,
  };
}

const report: ReportData = {
  version: 1,
  summary: {
    outcome: 'fail',
    totalComponents: 3,
    knownComponents: 3,
    affectedComponents: 2,
    openViolations: { critical: 1, severe: 1, moderate: 0 },
    componentsAffected: { critical: 1, severe: 1, moderate: 0 },
    waivedViolations: 1,
  },
  graph: { roots: [0], children: { 0: [1], 1: [2] } },
  components: [
    component(0, [], [
      {
        policyViolationId: 'a'.repeat(32),
        policyId: 'p-license',
        policyName: 'License-Copyleft',
        policyThreatLevel: 9,
        policyThreatCategory: 'LICENSE',
        action: 'fail',
        waived: false,
        constraints: [{ constraintId: 'c-1', constraintName: 'Copyleft', conditions: [{ summary: 'License Threat Group is Copyleft', reason: 'Found 1 license in Copyleft' }] }],
      },
    ]),
    // Two components share a vulnerability; their statuses, fixes and VEX analyses are their own.
    component(1, [issue('CVE-2024-0001', { fixVersion: '1.2' }), issue('CVE-2024-0002', { severity: 9.8, threatCategory: 'critical', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0002' })], [
      {
        policyViolationId: 'b'.repeat(32),
        policyId: 'p-sec',
        policyName: 'Security-High',
        policyThreatLevel: 9,
        policyThreatCategory: 'SECURITY',
        action: 'warn',
        waived: false,
        constraints: [{ constraintId: 'c-2', constraintName: 'High CVSS', conditions: [...severityConditions('CVE-2024-0001', 7.5), ...severityConditions('CVE-2024-0002', 9.8)] }],
      },
    ]),
    component(2, [issue('CVE-2024-0001', { status: 'Not Applicable', analysis: { state: 'not_affected', justification: 'code_not_reachable' } })], [
      {
        policyViolationId: 'c'.repeat(32),
        policyId: 'p-sec',
        policyName: 'Security-High',
        policyThreatLevel: 9,
        policyThreatCategory: 'SECURITY',
        waived: true,
        // A reason naming its reference twice, and an id with a `$` in it.
        constraints: [
          {
            constraintId: 'c-2',
            constraintName: 'High CVSS',
            conditions: [{ summary: 'Vulnerability id is X$1', reason: 'Found X$1 (X$1)', reference: { type: 'SECURITY_VULNERABILITY_REFID', value: 'X$1' } }],
          },
        ],
      },
    ]),
  ],
};

describe('stored report form', () => {
  it('reads back exactly the report it was given', async () => {
    const stored = await encodeReport(report);
    expect(await decodeReport(stored)).toEqual(report);
  });

  it('keeps each vulnerability, license data, policy and condition text once', async () => {
    const stored = JSON.parse(gunzipSync(await encodeReport(report)).toString('utf8'));
    expect(stored.vulnerabilities.map((v: unknown[]) => v[0])).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
    expect(stored.licenseData).toHaveLength(2);
    expect(stored.policies.map((p: unknown[]) => p[0])).toEqual(['p-license', 'p-sec']);
    // The status reasons about the two vulnerabilities share one template; the severity reasons differ by score.
    const templates = stored.texts.filter((t: string) => t.startsWith('Found security vulnerability'));
    expect(templates).toEqual([
      'Found security vulnerability \u0000 with severity >= 7 (severity = 7.5)',
      "Found security vulnerability \u0000 with status 'OPEN'",
      'Found security vulnerability \u0000 with severity >= 7 (severity = 9.8)',
    ]);
    // Condition facts of one kind (summary, template, reference type) are one entry: the two status facts share one.
    // A component is a tuple: licenses, issues, violations, then its own fields (version 3).
    const conditions = stored.components[1][2][0][4][0][1];
    expect(conditions).toHaveLength(4);
    expect(new Set(conditions.map((c: unknown[]) => c[0])).size).toBe(3);
    expect(conditions.map((c: unknown[]) => c[1])).toEqual(['CVE-2024-0001', 'CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0002']);
  });

  it('reads back a report written in many batches, tables shared across them', async () => {
    const many: ReportData = {
      ...report,
      graph: undefined,
      components: Array.from({ length: 1234 }, (_, n) =>
        component(n, n % 3 ? [issue(`CVE-2024-${String(n % 7).padStart(4, '0')}`, { fixVersion: `1.${n}` })] : [], n % 5 ? [] : report.components[1].violations.map((v) => ({ ...v, policyViolationId: n.toString(16).padStart(32, '0') }))),
      ),
    };
    delete many.graph;
    const stored = await encodeReport(many);
    expect(await decodeReport(stored)).toEqual(many);
    expect(JSON.parse(gunzipSync(stored).toString('utf8')).vulnerabilities).toHaveLength(7);
  });

  it('still reads a version 2 document (components as objects)', async () => {
    const { gzipSync } = await import('node:zlib');
    const [c] = report.components.slice(1);
    const { securityIssues, violations, licenseData, ...own } = c;
    const v2 = {
      version: 2,
      summary: report.summary,
      vulnerabilities: securityIssues.map((s) => [s.reference, s.aliases, s.source, s.reference === 'CVE-2024-0002' ? s.url : null, s.severity, s.cvssVector, s.threatCategory, s.cwe, s.summary]),
      licenseData: [licenseData],
      policies: [['p-sec', 'Security-High', 9, 'SECURITY']],
      constraints: [['c-2', 'High CVSS']],
      conditionKinds: [
        [0, 1, 2],
        [3, 4, 2],
        [0, 5, 2],
      ],
      texts: [
        'Security Vulnerability Severity >= 7',
        'Found security vulnerability \u0000 with severity >= 7 (severity = 7.5)',
        'SECURITY_VULNERABILITY_REFID',
        'Security Vulnerability Status is not NOT_APPLICABLE',
        "Found security vulnerability \u0000 with status 'OPEN'",
        'Found security vulnerability \u0000 with severity >= 7 (severity = 9.8)',
      ],
      components: [
        {
          ...own,
          licenses: 0,
          issues: [
            [0, 'Open', '1.2'],
            [1, 'Open', null],
          ],
          violations: [['b'.repeat(32), 0, 0, 'warn', [[0, [[0, 'CVE-2024-0001'], [1, 'CVE-2024-0001'], [2, 'CVE-2024-0002'], [1, 'CVE-2024-0002']]]]]],
        },
      ],
    };
    const read = await decodeReport(gzipSync(JSON.stringify(v2)));
    expect(read).toEqual({ version: 1, summary: report.summary, components: [c] });
    // Written before scores kept their source: a score was a matched record's CVSS.
    expect(read.components[0].securityIssues.map(scoreSourceOf)).toEqual(['osv', 'osv']);
    expect(scoreSourceOf({ severity: undefined })).toBe('unscored');
  });

  it('keeps each issue’s score source and rating, and one vulnerability scored differently on two components', async () => {
    const borrowed = issue('CVE-2024-0003', { scoreSource: 'alias:GHSA-0003-aaaa-bbbb' });
    // Another component matched the GHSA record itself, which rates it only.
    const rated = issue('CVE-2024-0003', { severity: 8, cvssVector: undefined, threatCategory: 'severe', scoreSource: 'qualitative:GHSA-0003-aaaa-bbbb', scoreRating: 'HIGH' });
    const unscored = issue('GO-2024-0004', { severity: undefined, cvssVector: undefined, threatCategory: undefined, scoreSource: 'unscored' });
    const scored: ReportData = {
      ...report,
      components: [component(0, [borrowed, unscored], []), component(1, [rated], []), component(2, [{ ...borrowed, fixVersion: '2.0' }], [])],
    };
    const stored = await encodeReport(scored);
    expect(await decodeReport(stored)).toEqual(scored);
    const tables = JSON.parse(gunzipSync(stored).toString('utf8'));
    expect(tables.vulnerabilities.map((v: unknown[]) => [v[0], v[9], v[10]])).toEqual([
      ['CVE-2024-0003', 'alias:GHSA-0003-aaaa-bbbb', undefined],
      ['GO-2024-0004', 'unscored', undefined],
      ['CVE-2024-0003', 'qualitative:GHSA-0003-aaaa-bbbb', 'HIGH'],
    ]);
  });

  it('keeps unknown facts, policies not evaluated and license sources, each distinct list of unknown facts once', async () => {
    const unreachable = [
      { fact: 'age', reason: 'registry unreachable', registry: 'PyPI' },
      { fact: 'license', reason: 'registry unreachable', registry: 'PyPI' },
    ] as const;
    const notYet = [{ fact: 'age', reason: 'not yet fetched', registry: 'PyPI' }] as const;
    const notEvaluated = (unknownFacts: ReportComponent['unknownFacts']) => ({
      policyId: 'p-age',
      policyName: 'Architecture-Quality',
      policyThreatLevel: 2,
      policyThreatCategory: 'QUALITY',
      unknownFacts: unknownFacts!,
    });
    const components = Array.from({ length: 600 }, (_, n): ReportComponent => {
      const c = component(n, [], []);
      if (n % 3 === 0) return { ...c, licenseSource: 'sbom' };
      const unknownFacts = n % 3 === 1 ? unreachable : notYet;
      return { ...c, licenseSource: n % 3 === 2 ? 'registry:pypi' : undefined, unknownFacts, policiesNotEvaluated: [notEvaluated(unknownFacts)] };
    }).map((c) => {
      if (c.licenseSource === undefined) delete c.licenseSource;
      return c;
    });
    const data: ReportData = {
      ...report,
      graph: undefined,
      summary: {
        ...report.summary,
        unknownFacts: [{ facts: ['age', 'license'], reason: 'registry unreachable', registry: 'PyPI', components: 200 }],
        policiesNotEvaluated: { checks: 400, components: 400 },
      },
      components,
    };
    delete data.graph;
    const stored = await encodeReport(data);
    expect(await decodeReport(stored)).toEqual(data);
    const parsed = JSON.parse(gunzipSync(stored).toString('utf8'));
    expect(parsed.unknownFactSets).toEqual([unreachable, notYet]);
    expect(parsed.policies.map((p: unknown[]) => p[0])).toEqual(['p-age']);
  });

  it('reads a version 3 document written before unknown facts were kept', async () => {
    const stored = JSON.parse(gunzipSync(await encodeReport(report)).toString('utf8'));
    // Components as that version wrote them: fifteen fields after licenses, issues and violations.
    stored.components = stored.components.map((t: unknown[]) => t.slice(0, 3 + 15));
    const { gzipSync } = await import('node:zlib');
    expect(await decodeReport(gzipSync(JSON.stringify(stored)))).toEqual(report);
  });

  it('refuses a document of a version it does not know', async () => {
    const { gzipSync } = await import('node:zlib');
    await expect(decodeReport(gzipSync(JSON.stringify({ version: 9 })))).rejects.toThrow(/version 9/);
  });
});
