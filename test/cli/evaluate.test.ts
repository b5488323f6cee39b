import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatOutcome, outcomeDocument, SHOWN_COMPONENTS, SHOWN_REASONS, type Outcome } from '../../src/cli/evaluate-output.js';
import { formatReportSummary, type ViolatingComponent } from '../../src/cli/report-details.js';
import { exitCodeFor } from '../../src/cli/scan-result.js';
import { prepareSubmission } from '../../src/cli/submission.js';
import { readSbom } from '../../src/sbom/read.js';
import { writeSpdxXml } from '../../src/sbom/spdx/write.js';
import { readShared, sharedFile } from '../helpers/shared.js';

const lockfile = readFileSync(new URL('../fixtures/lockfiles/npm-v3/package-lock.json', import.meta.url), 'utf8');

describe('tollgate evaluate: what it sends', () => {
  it('sends a lockfile as CycloneDX JSON that reads back with the same components', async () => {
    const submission = prepareSubmission('app/package-lock.json', lockfile);
    expect(submission).toMatchObject({ source: 'cyclonedx', contentType: 'application/json' });
    const sent = await readSbom(submission.data);
    expect(sent.specVersion).toBe('1.6');
    expect(sent.components.map((c) => c.purl)).toContain('pkg:npm/express@4.17.1');
    expect(sent.components.length).toBeGreaterThan(50);
  });

  it.skipIf(!sharedFile('fixtures/sbom/cyclonedx/laravel-7.12.0.1.3.xml'))('sends SBOMs as they are, with the right source and content type', () => {
    const xml = readShared('fixtures/sbom/cyclonedx/laravel-7.12.0.1.3.xml').toString('utf8');
    expect(prepareSubmission('bom.xml', xml)).toEqual({ source: 'cyclonedx', contentType: 'application/xml', data: xml });
    const spdx = readShared('fixtures/sbom/spdx/sbom-2.3.spdx.json').toString('utf8');
    expect(prepareSubmission('x.spdx.json', spdx)).toMatchObject({ source: 'spdx', contentType: 'application/json' });
    const tagValue = readShared('fixtures/sbom/spdx/example1.spdx').toString('utf8');
    expect(prepareSubmission('x.spdx', tagValue)).toMatchObject({ source: 'spdx', contentType: 'text/plain' });
  });

  it('sends SPDX XML as spdx, application/xml', () => {
    const xml = writeSpdxXml({ format: 'SPDX', specVersion: '2.3', tools: [], components: [{ ref: 'a', name: 'a', version: '1', hashes: {} }], dependencies: new Map(), vulnerabilities: [] });
    expect(prepareSubmission('sbom.spdx.xml', xml)).toEqual({ source: 'spdx', contentType: 'application/xml', data: xml });
  });

  it('refuses a file that is neither an SBOM nor a known lockfile', () => {
    expect(() => prepareSubmission('notes.txt', 'hello')).toThrow(/not a recognised SBOM/);
  });
});

describe('tollgate evaluate: what it prints and returns', () => {
  const result = {
    policyAction: 'Failure',
    reportHtmlUrl: 'ui/links/application/app/report/abc',
    openPolicyViolations: { critical: 2, severe: 1, moderate: 0 },
    componentsAffected: { critical: 1, severe: 1, moderate: 0 },
  };
  const lodash: ViolatingComponent = {
    component: 'lodash 4.17.11',
    packageUrl: 'pkg:npm/lodash@4.17.11',
    violations: [
      { policy: 'Security-Critical', threatLevel: 10, category: 'SECURITY', reasons: ['Found security vulnerability CVE-2019-10744 with severity >= 9 (severity = 9.1)'] },
      { policy: 'Security-High', threatLevel: 9, category: 'SECURITY', reasons: ['Found security vulnerability CVE-2021-23337 with severity >= 7 (severity = 7.2)'] },
    ],
    fixes: [
      { vulnerability: 'CVE-2019-10744', version: '4.17.12' },
      { vulnerability: 'CVE-2021-23337', version: '4.17.21' },
    ],
  };
  const outcome: Outcome = {
    application: 'my-app',
    stage: 'release',
    result,
    exitCode: 1,
    reportUrl: 'https://tollgate.example.com/ui/links/application/app/report/abc',
    details: { components: [lodash], summary: ['1 component, 1 identified'], unavailable: [] },
  };

  it('prints the action, the counts, each violating component with its policies, threat, reasons and fix, and the absolute report link', () => {
    const text = formatOutcome(outcome);
    expect(text).toMatch(/my-app, stage release: policy action Failure/);
    expect(text).toMatch(/open policy violations\s+2\s+1\s+0/);
    expect(text).toMatch(/Policy violations: 2 on 1 component, worst first\n {2}lodash 4\.17\.11 {2}pkg:npm\/lodash@4\.17\.11\n {4}threat 10 Security-Critical\n {15}Found security vulnerability CVE-2019-10744/);
    expect(text).toContain('fix: upgrade to 4.17.12 (CVE-2019-10744), 4.17.21 (CVE-2021-23337)');
    expect(text).toContain('1 component, 1 identified');
    expect(text.trimEnd().split('\n').at(-1)).toBe(`Report: ${outcome.reportUrl}`);
  });

  it('one version fixing everything is named once; what the server could not say is shown as not shown', () => {
    const single = { ...lodash, fixes: [{ vulnerability: 'CVE-2019-10744', version: '4.17.21' }, { vulnerability: 'CVE-2021-23337', version: '4.17.21' }] };
    const text = formatOutcome({ ...outcome, details: { components: [single], summary: [], unavailable: ['fix versions: the CycloneDX export answered 404'] } });
    expect(text).toContain('fix: upgrade to 4.17.21 (CVE-2019-10744, CVE-2021-23337)');
    expect(text).toContain('(not shown: fix versions: the CycloneDX export answered 404)');
  });

  it(`shows the worst ${SHOWN_COMPONENTS} components and says how many more there are`, () => {
    const many = Array.from({ length: SHOWN_COMPONENTS + 3 }, (_, i) => ({ ...lodash, component: `c${i}`, packageUrl: undefined, fixes: [] }));
    const text = formatOutcome({ ...outcome, details: { components: many, summary: [], unavailable: [] } });
    expect(text).toContain(`  c${SHOWN_COMPONENTS - 1}\n`);
    expect(text).not.toContain(`  c${SHOWN_COMPONENTS}\n`);
    expect(text).toContain('… and 3 more components (see the report, or --json)');
    // --json lists them all.
    expect(outcomeDocument({ ...outcome, details: { components: many, summary: [], unavailable: [] } }).violations).toHaveLength(SHOWN_COMPONENTS + 3);
  });

  it(`shows ${SHOWN_REASONS} reasons per violation and says how many more there are`, () => {
    const reasons = Array.from({ length: SHOWN_REASONS + 4 }, (_, i) => `Found security vulnerability CVE-2026-${1000 + i} without a score`);
    const unscored = { ...lodash, violations: [{ policy: 'Security-Unscored', threatLevel: 7, category: 'SECURITY', reasons }], fixes: [] };
    const text = formatOutcome({ ...outcome, details: { components: [unscored], summary: [], unavailable: [] } });
    expect(text).toContain(reasons[SHOWN_REASONS - 1]);
    expect(text).not.toContain(reasons[SHOWN_REASONS]);
    expect(text).toContain('… and 4 more reasons (see the report, or --json)');
    expect(outcomeDocument({ ...outcome, details: { components: [unscored], summary: [], unavailable: [] } }).violations[0].violations[0].reasons).toHaveLength(SHOWN_REASONS + 4);
  });

  it('--json is one document: action, exit code, counts, violations, report URL', () => {
    const doc = outcomeDocument(outcome);
    expect(doc).toMatchObject({
      application: 'my-app',
      stage: 'release',
      policyAction: 'Failure',
      exitCode: 1,
      reportUrl: outcome.reportUrl,
      counts: { openPolicyViolations: { critical: 2, severe: 1, moderate: 0 }, componentsAffected: { critical: 1, severe: 1, moderate: 0 }, grandfatheredPolicyViolations: 0 },
      violations: [lodash],
      summary: ['1 component, 1 identified'],
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('the report summary comes from the raw report', () => {
    expect(formatReportSummary({ matchSummary: { knownComponentCount: 8, totalComponentCount: 10 } })).toEqual(['10 components, 8 identified, 2 unknown']);
    expect(formatReportSummary({})).toEqual([]);
  });

  it('the report summary says which findings have no score and which facts were unknown, from Tollgate’s fields', () => {
    const issue = (cvssVectorSource: string) => ({ cvssVectorSource });
    const raw = {
      matchSummary: { knownComponentCount: 2, totalComponentCount: 2 },
      components: [
        { securityData: { securityIssues: [issue('unscored'), issue('nvd:CVE-2021-35042'), issue('unscored')] } },
        { securityData: { securityIssues: [issue('alias:GHSA-m2qf-hxjv-5gpq')] } },
      ],
      tollgate: {
        unknownFacts: [{ text: '2 components: age, latest version and version distance unknown — PyPI unreachable; fetched once it answers again' }],
        policiesNotEvaluated: { checks: 3, components: 2 },
      },
    };
    expect(formatReportSummary(raw)).toEqual([
      '2 components, 2 identified',
      '2 vulnerability findings of 4 have no severity score (no CVSS vector or rating is known): the Security-Unscored policy reports them',
      'unknown: 2 components: age, latest version and version distance unknown — PyPI unreachable; fetched once it answers again',
      '3 policy checks on 2 components could not be evaluated for want of those facts (listed in the report)',
    ]);
    // IQ Server names its own sources and has no such extension: nothing is claimed.
    expect(formatReportSummary({ components: [{ securityData: { securityIssues: [{ cvssVectorSource: 'nvd' }] } }] })).toEqual([]);
  });

  it('exits 1 on Failure, 0 on Warning or None, 2 on an evaluation error', () => {
    expect(exitCodeFor(result)).toBe(1);
    expect(exitCodeFor({ ...result, policyAction: 'Warning' })).toBe(0);
    expect(exitCodeFor({ policyAction: 'None' })).toBe(0);
    expect(exitCodeFor({ isError: true, errorMessage: 'bad' })).toBe(2);
  });
});
