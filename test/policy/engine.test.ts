import { describe, expect, it } from 'vitest';
import { toPackageUrl, fromPackageUrl } from '../../src/ecosystems/identity.js';
import { PolicyDefinitionError, compilePolicy } from '../../src/policy/compile.js';
import { PolicyEngine } from '../../src/policy/engine.js';
import type { ComponentFacts } from '../../src/policy/facts.js';
import type { Policy } from '../../src/policy/model.js';
import { referencePolicies, rootThreatGroupId } from '../../src/policy/reference-policies.js';
import type { WaiverInput } from '../../src/policy/waivers.js';
import { readSbom } from '../../src/sbom/read.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { component, vulnerability } from './facts.js';

const reference = new PolicyEngine(referencePolicies());

function policy(overrides: Partial<Policy> & Pick<Policy, 'constraints'>): Policy {
  return { id: 'p1', name: 'Test', ownerType: 'organization', ownerId: 'org-1', threatLevel: 5, actions: {}, tagIds: [], ...overrides };
}

describe('reference policies', () => {
  const criticalComponent = component({ vulnerabilities: [vulnerability({ refId: 'CVE-2021-44228', severity: 10 })] });

  it('compile, each with a policy type', () => {
    const types = Object.fromEntries(reference.policies.map((p) => [p.policy.name, p.policyType]));
    expect(types).toMatchObject({ 'Security-Critical': 'security', 'License-Banned': 'license', 'Architecture-Quality': 'quality', 'Component-Unknown': 'other' });
  });

  it('warn about a critical vulnerability early and fail from stage-release', () => {
    const outcome = (stage: Parameters<PolicyEngine['evaluate']>[1]['stage']) => reference.evaluate([criticalComponent], { stage }).outcome;
    expect(outcome('develop')).toBe('warn');
    expect(outcome('build')).toBe('warn');
    expect(outcome('stage-release')).toBe('fail');
    expect(outcome('release')).toBe('fail');
    const result = reference.evaluate([criticalComponent], { stage: 'release' });
    expect(result.violations.map((v) => v.policyName)).toEqual(['Security-Critical']);
    const [violation] = result.violations;
    expect(violation).toMatchObject({ threatLevel: 10, action: 'fail', componentIndex: 0, waived: false });
    expect(violation.constraints[0].conditions).toEqual([
      {
        conditionTypeId: 'SecurityVulnerabilitySeverity',
        conditionIndex: 0,
        summary: 'Security Vulnerability Severity >= 9',
        reason: 'Found security vulnerability CVE-2021-44228 with severity >= 9 (severity = 10.0)',
        reference: { type: 'SECURITY_VULNERABILITY_REFID', value: 'CVE-2021-44228' },
      },
      {
        conditionTypeId: 'SecurityVulnerabilityStatus',
        conditionIndex: 1,
        summary: 'Security Vulnerability Status is not NOT_APPLICABLE',
        reason: "Found security vulnerability CVE-2021-44228 with status 'OPEN' (is not 'NOT_APPLICABLE')",
        reference: { type: 'SECURITY_VULNERABILITY_REFID', value: 'CVE-2021-44228' },
      },
    ]);
  });

  it('hold vulnerability conditions of one constraint to one vulnerability', () => {
    // The critical one was reviewed as not applicable; the open one is low: no critical violation.
    const facts = component({
      vulnerabilities: [vulnerability({ refId: 'CVE-A', severity: 9.8, status: 'NOT_APPLICABLE' }), vulnerability({ refId: 'CVE-B', severity: 2 })],
    });
    expect(reference.evaluate([facts], { stage: 'release' }).violations).toEqual([]);
    // Severe (7 <= s < 9) and medium in one component: one violation each, each naming its own vulnerability.
    const both = component({ vulnerabilities: [vulnerability({ refId: 'CVE-S', severity: 8 }), vulnerability({ refId: 'CVE-M', severity: 5 })] });
    const result = reference.evaluate([both], { stage: 'release' });
    expect(result.violations.map((v) => v.policyName).sort()).toEqual(['Security-High', 'Security-Medium']);
    const high = result.violations.find((v) => v.policyName === 'Security-High')!;
    expect(new Set(high.constraints[0].conditions.map((c) => c.reference?.value))).toEqual(new Set(['CVE-S']));
    expect(result.outcome).toBe('warn');
  });

  it('never let a known vulnerability pass silently: an unscored one violates Security-Unscored, which warns early and fails from stage-release', () => {
    const unscored = vulnerability({ refId: 'GO-2022-0969', aliases: [], severity: undefined, cvssScore: undefined, scoreSource: 'unscored' });
    const facts = component({ vulnerabilities: [unscored] });
    const outcome = (stage: Parameters<PolicyEngine['evaluate']>[1]['stage']) => reference.evaluate([facts], { stage }).outcome;
    expect(outcome('build')).toBe('warn');
    expect(outcome('stage-release')).toBe('fail');
    const result = reference.evaluate([facts], { stage: 'build' });
    expect(result.violations.map((v) => [v.policyName, v.threatLevel, v.action])).toEqual([['Security-Unscored', 7, 'warn']]);
    expect(result.violations[0].constraints[0].conditions[0].reason).toBe(
      "Found security vulnerability GO-2022-0969 without a score: no CVSS vector or severity rating is known for it (is 'unscored')",
    );
    // Reviewed away, it is quiet like the scored ones; a scored one never meets Security-Unscored.
    const reviewed = component({ vulnerabilities: [{ ...unscored, status: 'NOT_APPLICABLE' }] });
    expect(reference.evaluate([reviewed], { stage: 'release' }).violations).toEqual([]);
    const rated = component({ vulnerabilities: [vulnerability({ severity: 8, cvssScore: undefined, scoreSource: 'qualitative:GHSA-35jh-r3h4-6jhm', scoreRating: 'HIGH' })] });
    expect(reference.evaluate([rated], { stage: 'build' }).violations.map((v) => v.policyName)).toEqual(['Security-High']);
  });

  it('fail banned licenses from the build on and report old and unknown components', () => {
    const banned = component({ licenses: [{ licenseId: 'AGPL-3.0-only', threatGroupId: rootThreatGroupId('Banned'), threatLevel: 10 }] });
    const unknown = component({ matchState: 'unknown', ageInDays: 3000 });
    const result = reference.evaluate([component(), banned, unknown], { stage: 'build' });
    expect(result.outcome).toBe('fail');
    expect(result.violations.map((v) => [v.componentIndex, v.policyName, v.action ?? null])).toEqual([
      [1, 'License-Banned', 'fail'],
      [2, 'Component-Unknown', null],
      [2, 'Architecture-Quality', null],
    ]);
    expect(result.affectedComponents).toBe(2);
    expect(result.evaluatedComponents).toBe(3);
    expect(reference.evaluate([component()], { stage: 'release' })).toMatchObject({ outcome: 'none', violations: [] });
  });
});

describe('constraints and policies', () => {
  it('explains each condition about a vulnerability from that vulnerability, however often it is cited', () => {
    const severity = (operator: string, value: string, id: string) =>
      policy({ id, name: id, actions: { build: 'warn' }, constraints: [{ id: `${id}-c`, name: id, operator: 'AND', conditions: [{ conditionTypeId: 'SecurityVulnerabilitySeverity', operator, value }] }] });
    const engine = new PolicyEngine([severity('>=', '4', 'four'), severity('>=', '7', 'seven')]);
    const shared = vulnerability({ refId: 'CVE-SHARED', severity: 8 });
    // The same fact on two components (as warm scans hand it out) and a second evaluation.
    const facts = [component({ vulnerabilities: [shared] }), component({ hash: 'ffffffffffffffffffff', vulnerabilities: [shared] })];
    const reasons = (result: ReturnType<PolicyEngine['evaluate']>) => result.violations.map((v) => `${v.policyName}: ${v.constraints[0].conditions[0].reason}`);
    const expected = [
      'four: Found security vulnerability CVE-SHARED with severity >= 4 (severity = 8.0)',
      'seven: Found security vulnerability CVE-SHARED with severity >= 7 (severity = 8.0)',
    ];
    expect(reasons(engine.evaluate(facts, { stage: 'build' }))).toEqual([...expected, ...expected]);
    expect(reasons(engine.evaluate(facts, { stage: 'build' }))).toEqual([...expected, ...expected]);
    // Another fact about the same id (its severity rescored) is explained anew.
    const rescored = component({ vulnerabilities: [vulnerability({ refId: 'CVE-SHARED', severity: 5 })] });
    expect(reasons(engine.evaluate([rescored], { stage: 'build' }))).toEqual(['four: Found security vulnerability CVE-SHARED with severity >= 4 (severity = 5.0)']);
  });

  it('OR constraints give a reason for each condition that holds', () => {
    const engine = new PolicyEngine([
      policy({
        actions: { build: 'warn' },
        constraints: [
          {
            id: 'c1',
            name: 'Old or outdated',
            operator: 'OR',
            conditions: [
              { conditionTypeId: 'AgeInDays', operator: 'older than', value: '365' },
              { conditionTypeId: 'VersionDistance', operator: '>=', value: '3' },
              { conditionTypeId: 'IsLatest', operator: 'is true', value: '' },
            ],
          },
        ],
      }),
    ]);
    const result = engine.evaluate([component({ ageInDays: 400, versionDistance: 5, isLatest: false })], { stage: 'build' });
    expect(result.outcome).toBe('warn');
    expect(result.violations[0].constraints[0].conditions.map((c) => c.reason)).toEqual([
      'Age was 400 days (older than 365 days)',
      'Version was 5 releases behind the latest (>= 3)',
    ]);
  });

  it('lists every constraint that holds', () => {
    const engine = new PolicyEngine([
      policy({
        constraints: [
          { id: 'a', name: 'Direct', operator: 'AND', conditions: [{ conditionTypeId: 'DependencyType', operator: 'is', value: 'direct' }] },
          { id: 'b', name: 'Transitive', operator: 'AND', conditions: [{ conditionTypeId: 'DependencyType', operator: 'is', value: 'transitive' }] },
          { id: 'c', name: 'npm', operator: 'AND', conditions: [{ conditionTypeId: 'ComponentFormat', operator: 'is', value: 'npm' }] },
        ],
      }),
    ]);
    expect(engine.evaluate([component()], { stage: 'build' }).violations[0].constraints.map((c) => c.constraintName)).toEqual(['Direct', 'npm']);
  });

  it('applies a policy limited to categories only to applications in one of them', () => {
    const engine = new PolicyEngine([
      policy({ tagIds: ['distributed'], actions: { release: 'fail' }, constraints: [{ id: 'c', name: 'Any', operator: 'AND', conditions: [{ conditionTypeId: 'Proprietary', operator: 'is false', value: '' }] }] }),
    ]);
    expect(engine.evaluate([component()], { stage: 'release' }).outcome).toBe('none');
    const distributed = { id: 'app-2', categoryIds: ['internal', 'distributed'] };
    expect(engine.evaluate([component({ application: distributed })], { stage: 'release' }).outcome).toBe('fail');
  });

  it('refuses to compile a broken policy, listing every problem', () => {
    const broken = policy({
      threatLevel: 12,
      actions: { build: 'stop' } as never,
      constraints: [{ id: 'c', name: '', operator: 'XOR' as never, conditions: [{ conditionTypeId: 'Nope', operator: 'is', value: '' }] }],
    });
    try {
      compilePolicy(broken);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyDefinitionError);
      expect((err as PolicyDefinitionError).problems).toHaveLength(5);
    }
  });
});

describe('waivers', () => {
  const critical = component({ vulnerabilities: [vulnerability({ severity: 9.5 })] });
  const criticalId = referencePolicies().find((p) => p.name === 'Security-Critical')!.id;
  const waiver = (match: WaiverInput['match'], extra: Partial<WaiverInput> = {}): WaiverInput => ({
    id: 'w1',
    policyId: criticalId,
    match,
    scope: { ownerType: 'organization', ownerId: 'ROOT_ORGANIZATION_ID' },
    ...extra,
  });
  const evaluate = (waivers: WaiverInput[], facts = critical, ownerIds?: string[]) =>
    reference.evaluate([facts], { stage: 'release', waivers, ownerIds, now: new Date('2026-11-23T00:00:00Z') });

  it('mark the violations they cover as waived and leave them out of the outcome', () => {
    const result = evaluate([waiver({ type: 'component', hash: critical.hash })]);
    expect(result.outcome).toBe('none');
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ waived: true, waiverId: 'w1' });
    expect(result.affectedComponents).toBe(0);
  });

  it('match by exact component, all versions, or all components', () => {
    expect(evaluate([waiver({ type: 'component', packageUrl: 'pkg:npm/lodash@4.17.21' })]).outcome).toBe('none');
    expect(evaluate([waiver({ type: 'component', packageUrl: 'pkg:npm/lodash@4.17.20' })]).outcome).toBe('fail');
    expect(evaluate([waiver({ type: 'allVersions', packageUrl: 'pkg:npm/lodash@1.0.0' })]).outcome).toBe('none');
    expect(evaluate([waiver({ type: 'allVersions', packageUrl: 'pkg:npm/lodash-es@4.17.21' })]).outcome).toBe('fail');
    expect(evaluate([waiver({ type: 'allComponents' })]).outcome).toBe('none');
    expect(evaluate([waiver({ type: 'allComponents' }, { policyId: 'another-policy' })]).outcome).toBe('fail');
  });

  it('apply only within their scope and until they expire', () => {
    const onOtherOrg = waiver({ type: 'allComponents' }, { scope: { ownerType: 'organization', ownerId: 'org-2' } });
    expect(evaluate([onOtherOrg], critical, ['app-1', 'org-1', 'ROOT_ORGANIZATION_ID']).outcome).toBe('fail');
    expect(evaluate([onOtherOrg], critical, ['app-1', 'org-2', 'ROOT_ORGANIZATION_ID']).outcome).toBe('none');
    expect(evaluate([waiver({ type: 'allComponents' }, { expiresAt: '2026-01-01T00:00:00Z' })]).outcome).toBe('fail');
    expect(evaluate([waiver({ type: 'allComponents' }, { expiresAt: '2027-01-01T00:00:00Z' })]).outcome).toBe('none');
  });
});

describe('a real SBOM (OWASP Juice Shop, CycloneDX)', () => {
  const path = sharedFile('fixtures/sbom/cyclonedx/juice-shop-11.1.2.json');
  it.skipIf(!path)('evaluates coordinate and license policies over every component', async () => {
    const sbom = await readSbom(readShared('fixtures/sbom/cyclonedx/juice-shop-11.1.2.json'));
    const facts: ComponentFacts[] = sbom.components
      .filter((c) => c.purl?.startsWith('pkg:npm/'))
      .map((c) => {
        const identifier = fromPackageUrl(c.purl!);
        return component({
          componentIdentifier: identifier,
          packageUrl: toPackageUrl(identifier),
          displayName: `${c.group ? `${c.group}/` : ''}${c.name} ${c.version ?? ''}`,
          hash: undefined,
          licenses: c.license ? [{ licenseId: c.license }] : [],
        });
      });
    expect(facts.length).toBeGreaterThan(500);
    const engine = new PolicyEngine([
      policy({
        id: 'express',
        name: 'No express plugins',
        actions: { build: 'warn' },
        constraints: [{ id: 'c', name: 'express-*', operator: 'AND', conditions: [{ conditionTypeId: 'Coordinates', operator: 'match', value: 'npm:express-*:*' }] }],
      }),
      policy({
        id: 'mit',
        name: 'Not MIT',
        constraints: [{ id: 'c', name: 'Not MIT', operator: 'AND', conditions: [{ conditionTypeId: 'License', operator: 'is not', value: 'MIT' }] }],
      }),
    ]);
    const result = engine.evaluate(facts, { stage: 'build' });
    const flagged = (id: string) => result.violations.filter((v) => v.policyId === id).map((v) => facts[v.componentIndex]);
    const expressPlugins = facts.filter((f) => f.componentIdentifier?.coordinates.packageId.startsWith('express-'));
    expect(expressPlugins.length).toBeGreaterThan(0);
    expect(flagged('express')).toEqual(expressPlugins);
    expect(flagged('mit')).toEqual(facts.filter((f) => !f.licenses.some((l) => l.licenseId === 'MIT')));
    expect(result.outcome).toBe('warn');
  });
});


describe('summaries', () => {
  it('name a license threat group by its name where the context knows it', () => {
    const engine = new PolicyEngine(
      [policy({ constraints: [{ id: 'c', name: 'Copyleft', operator: 'AND', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: 'g1' }] }] })],
      { licenseThreatGroups: new Map([['g1', { name: 'Copyleft' }]]) },
    );
    const result = engine.evaluate([component({ licenses: [{ licenseId: 'GPL-3.0-only', threatGroupId: 'g1', threatGroupName: 'Copyleft' }] })], { stage: 'build' });
    expect(result.violations[0].constraints[0].conditions[0]).toMatchObject({
      summary: 'License Threat Group is Copyleft',
      reason: "Found 'GPL-3.0-only' license in license threat group 'Copyleft'",
    });
  });
});
