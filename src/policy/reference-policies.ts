import { stableId } from '../core/ids.js';
import type { ActionTypeId, Condition, Constraint, Policy } from './model.js';

/**
 * The policies every installation's root organization starts with, in the reference product's
 * naming (Security-Critical, License-Banned, Component-Unknown, …). Threat levels follow the
 * reference's defaults where users report them; the actions are Tollgate's choice: a critical
 * problem warns while code is written and fails the build from stage-release on, so that nobody
 * is stopped mid-work but nothing critical ships; severe problems warn; the rest report only.
 * Organizations copy, change or add to these for their own part of the tree.
 */

const WARN_EARLY_FAIL_RELEASE: Record<string, ActionTypeId> = {
  develop: 'warn',
  source: 'warn',
  build: 'warn',
  'stage-release': 'fail',
  release: 'fail',
  operate: 'warn',
};
const FAIL_FROM_BUILD: Record<string, ActionTypeId> = {
  develop: 'warn',
  source: 'warn',
  build: 'fail',
  'stage-release': 'fail',
  release: 'fail',
  operate: 'fail',
};
const WARN_ALWAYS: Record<string, ActionTypeId> = { develop: 'warn', source: 'warn', build: 'warn', 'stage-release': 'warn', release: 'warn' };
const WARN_AT_RELEASE: Record<string, ActionTypeId> = { 'stage-release': 'warn', release: 'warn' };

/** The id the root organization's shipped license threat group has (as the licenses migration seeds it). */
export function rootThreatGroupId(name: string): string {
  return stableId(`license-threat-group:ROOT_ORGANIZATION_ID:${name}`);
}

const NOT_WAIVED_AWAY: Condition = { conditionTypeId: 'SecurityVulnerabilityStatus', operator: 'is not', value: 'NOT_APPLICABLE' };

interface Definition {
  name: string;
  threatLevel: number;
  actions: Record<string, ActionTypeId>;
  constraints: Array<{ name: string; operator?: 'AND' | 'OR'; conditions: Condition[] }>;
}

const DEFINITIONS: Definition[] = [
  {
    name: 'Security-Malicious',
    threatLevel: 10,
    actions: FAIL_FROM_BUILD,
    constraints: [{ name: 'Malicious code', conditions: [{ conditionTypeId: 'SecurityVulnerabilityCategory', operator: 'is', value: 'malicious_code' }, NOT_WAIVED_AWAY] }],
  },
  {
    name: 'Security-Known-Exploited',
    threatLevel: 10,
    actions: WARN_EARLY_FAIL_RELEASE,
    constraints: [{ name: 'Listed by CISA as exploited', conditions: [{ conditionTypeId: 'CisaKev', operator: 'is true', value: '' }, NOT_WAIVED_AWAY] }],
  },
  {
    name: 'Security-Critical',
    threatLevel: 10,
    actions: WARN_EARLY_FAIL_RELEASE,
    constraints: [{ name: 'Critical risk CVSS score', conditions: [{ conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '9' }, NOT_WAIVED_AWAY] }],
  },
  {
    name: 'Security-High',
    threatLevel: 9,
    actions: WARN_ALWAYS,
    constraints: [
      {
        name: 'High risk CVSS score',
        conditions: [
          { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '7' },
          { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '<', value: '9' },
          NOT_WAIVED_AWAY,
        ],
      },
    ],
  },
  {
    name: 'Security-Medium',
    threatLevel: 7,
    actions: {},
    constraints: [
      {
        name: 'Medium risk CVSS score',
        conditions: [
          { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '4' },
          { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '<', value: '7' },
          NOT_WAIVED_AWAY,
        ],
      },
    ],
  },
  {
    // A known vulnerability no record, alias or rating scores meets none of the score bands above;
    // without this policy such a component would evaluate to None. Severe, and it acts like
    // Security-Critical: warns while code is written, fails from stage-release on.
    name: 'Security-Unscored',
    threatLevel: 7,
    actions: WARN_EARLY_FAIL_RELEASE,
    constraints: [
      {
        name: 'Vulnerability without a score',
        conditions: [{ conditionTypeId: 'SecurityVulnerabilityScoreSource', operator: 'is', value: 'unscored' }, NOT_WAIVED_AWAY],
      },
    ],
  },
  {
    name: 'License-Banned',
    threatLevel: 10,
    actions: FAIL_FROM_BUILD,
    constraints: [{ name: 'Banned license', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Banned') }] }],
  },
  {
    name: 'License-Copyleft',
    threatLevel: 9,
    actions: WARN_EARLY_FAIL_RELEASE,
    constraints: [{ name: 'Copyleft license', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Copyleft') }] }],
  },
  {
    name: 'License-Commercial',
    threatLevel: 7,
    actions: WARN_AT_RELEASE,
    constraints: [{ name: 'Commercial license', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Commercial') }] }],
  },
  {
    name: 'License-Non-Standard',
    threatLevel: 6,
    actions: WARN_AT_RELEASE,
    constraints: [{ name: 'Non-standard license', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Non Standard') }] }],
  },
  {
    name: 'License-None',
    threatLevel: 5,
    actions: WARN_AT_RELEASE,
    constraints: [
      { name: 'No license found', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Sonatype Special Licenses') }] },
    ],
  },
  {
    name: 'Component-Unknown',
    threatLevel: 3,
    actions: WARN_AT_RELEASE,
    constraints: [
      { name: 'Unknown component', conditions: [{ conditionTypeId: 'MatchState', operator: 'is', value: 'unknown' }, { conditionTypeId: 'Proprietary', operator: 'is false', value: '' }] },
    ],
  },
  {
    name: 'Component-Similar',
    threatLevel: 3,
    actions: {},
    constraints: [{ name: 'Modified component', conditions: [{ conditionTypeId: 'MatchState', operator: 'is', value: 'similar' }] }],
  },
  {
    name: 'Architecture-Quality',
    threatLevel: 2,
    actions: {},
    constraints: [{ name: 'Component older than five years', conditions: [{ conditionTypeId: 'AgeInDays', operator: 'older than', value: '1825' }] }],
  },
];

/** The reference policy set for an owner (the root organization on first start), with stable ids. */
export function referencePolicies(ownerId = 'ROOT_ORGANIZATION_ID'): Policy[] {
  return DEFINITIONS.map((d) => {
    const id = stableId(`policy:${ownerId}:${d.name}`);
    const constraints: Constraint[] = d.constraints.map((c, i) => ({
      id: stableId(`policy-constraint:${id}:${i}`),
      name: c.name,
      operator: c.operator ?? 'AND',
      conditions: c.conditions.map((condition, conditionIndex) => ({ ...condition, conditionIndex })),
    }));
    return { id, name: d.name, ownerType: 'organization', ownerId, threatLevel: d.threatLevel, actions: { ...d.actions }, constraints, tagIds: [] };
  });
}
