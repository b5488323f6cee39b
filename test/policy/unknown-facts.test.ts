import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../src/policy/engine.js';
import type { UnknownFact } from '../../src/policy/facts.js';
import type { Condition, Policy } from '../../src/policy/model.js';
import { referencePolicies, rootThreatGroupId } from '../../src/policy/reference-policies.js';
import { component, vulnerability } from './facts.js';

/**
 * No policy passes silently on an unknown fact: where a policy did not hold but would have held had
 * an unknown fact been known (one way or the other), the engine reports it not evaluated for the
 * component, with the facts it depends on. Not evaluated is neither a violation nor part of the
 * outcome.
 */

const AGE_UNKNOWN: UnknownFact = { fact: 'age', reason: 'registry unreachable', registry: 'PyPI' };
const LATEST_UNKNOWN: UnknownFact = { fact: 'latest', reason: 'registry unreachable', registry: 'PyPI' };
const LICENSE_UNKNOWN: UnknownFact = { fact: 'license', reason: 'not yet fetched', registry: 'PyPI' };

let ids = 0;
function policy(name: string, constraints: Array<{ operator?: 'AND' | 'OR'; conditions: Array<Omit<Condition, 'conditionIndex'>> }>, actions: Policy['actions'] = { build: 'fail' }): Policy {
  return {
    id: `p-${++ids}`,
    name,
    ownerType: 'organization',
    ownerId: 'org-1',
    threatLevel: 5,
    actions,
    tagIds: [],
    constraints: constraints.map((c, i) => ({
      id: `c-${ids}-${i}`,
      name: `${name} #${i}`,
      operator: c.operator ?? 'AND',
      conditions: c.conditions.map((d, conditionIndex) => ({ ...d, conditionIndex })),
    })),
  };
}

const old = { conditionTypeId: 'AgeInDays', operator: 'older than', value: '365' };
const young = { conditionTypeId: 'AgeInDays', operator: 'younger than', value: '30' };
const notLatest = { conditionTypeId: 'IsLatest', operator: 'is false', value: '' };
const npmFormat = { conditionTypeId: 'ComponentFormat', operator: 'is', value: 'npm' };
const mavenFormat = { conditionTypeId: 'ComponentFormat', operator: 'is', value: 'maven' };
const critical = { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '9' };

const unknownAge = component({ ageInDays: undefined, unknownFacts: [AGE_UNKNOWN] });

describe('policies over unknown facts', () => {
  it('a condition over an unknown fact, whichever way it tests, makes its policy not evaluated rather than passed', () => {
    const engine = new PolicyEngine([policy('Old', [{ conditions: [old] }]), policy('Young', [{ conditions: [young] }])]);
    const result = engine.evaluate([unknownAge], { stage: 'build' });
    expect(result.violations).toEqual([]);
    expect(result.notEvaluated.map((n) => [n.policyName, n.unknownFacts])).toEqual([
      ['Old', [AGE_UNKNOWN]],
      ['Young', [AGE_UNKNOWN]],
    ]);
    // Not part of the outcome: unknown facts do not fail the build.
    expect(result.outcome).toBe('none');
  });

  it('the same component with its age known is decided: violated or passed', () => {
    const engine = new PolicyEngine([policy('Old', [{ conditions: [old] }])]);
    const known = engine.evaluate([component({ ageInDays: 400 }), component({ ageInDays: 10 })], { stage: 'build' });
    expect(known.violations.map((v) => v.componentIndex)).toEqual([0]);
    expect(known.notEvaluated).toEqual([]);
    expect(known.outcome).toBe('fail');
  });

  it('an AND constraint depends on the unknown fact only when every other condition holds', () => {
    const engine = new PolicyEngine([policy('Old npm', [{ conditions: [old, npmFormat] }]), policy('Old maven', [{ conditions: [old, mavenFormat] }])]);
    const result = engine.evaluate([unknownAge], { stage: 'build' });
    // Old maven fails on the format whatever the age: decided, it passes.
    expect(result.notEvaluated.map((n) => n.policyName)).toEqual(['Old npm']);
  });

  it('with vulnerability conditions, only when some vulnerability meets them all', () => {
    const engine = new PolicyEngine([policy('Old and critical', [{ conditions: [old, critical] }])]);
    const clean = engine.evaluate([unknownAge], { stage: 'build' });
    expect(clean.notEvaluated).toEqual([]);
    const vulnerable = engine.evaluate([{ ...unknownAge, vulnerabilities: [vulnerability({ severity: 9.8 })] }], { stage: 'build' });
    expect(vulnerable.notEvaluated.map((n) => n.policyName)).toEqual(['Old and critical']);
  });

  it('an OR constraint depends on every unknown fact its conditions read; a policy that holds is a violation whatever else is unknown', () => {
    const facts = component({ ageInDays: undefined, isLatest: undefined, unknownFacts: [AGE_UNKNOWN, LATEST_UNKNOWN] });
    const engine = new PolicyEngine([
      policy('Stale', [{ operator: 'OR', conditions: [old, notLatest] }]),
      policy('Old, or npm', [{ operator: 'OR', conditions: [old, npmFormat] }]),
    ]);
    const result = engine.evaluate([facts], { stage: 'build' });
    expect(result.violations.map((v) => v.policyName)).toEqual(['Old, or npm']);
    expect(result.notEvaluated).toHaveLength(1);
    expect(result.notEvaluated[0]).toMatchObject({ policyName: 'Stale', componentIndex: 0, threatLevel: 5, policyType: 'quality' });
    // All of the component's unknown facts count: its own (shared) list.
    expect(result.notEvaluated[0].unknownFacts).toBe(facts.unknownFacts);
  });

  it('a license not yet known: the component is Not-Declared meanwhile, and license policies that does not violate are not evaluated', () => {
    const engine = new PolicyEngine(referencePolicies());
    const notDeclared = [{ licenseId: 'Not-Declared', threatGroupId: rootThreatGroupId('Sonatype Special Licenses'), threatGroupName: 'Sonatype Special Licenses', threatLevel: 5 }];
    const result = engine.evaluate([component({ licenses: notDeclared, unknownFacts: [LICENSE_UNKNOWN] })], { stage: 'release' });
    // As for an SBOM entry without a license (the report says it may change) …
    expect(result.violations.map((v) => v.policyName)).toEqual(['License-None']);
    // … and whether the license is banned, copyleft, … is not known yet.
    expect(result.notEvaluated.map((n) => n.policyName).sort()).toEqual(['License-Banned', 'License-Commercial', 'License-Copyleft', 'License-Non-Standard']);
    expect(result.notEvaluated.every((n) => n.unknownFacts[0] === LICENSE_UNKNOWN)).toBe(true);
  });

  it('facts the policy does not read leave it decided', () => {
    const engine = new PolicyEngine([policy('npm', [{ conditions: [npmFormat] }], {}), policy('maven', [{ conditions: [mavenFormat] }], {})]);
    const result = engine.evaluate([unknownAge], { stage: 'build' });
    expect(result.violations.map((v) => v.policyName)).toEqual(['npm']);
    expect(result.notEvaluated).toEqual([]);
  });
});
