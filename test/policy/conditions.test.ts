import { describe, expect, it } from 'vitest';
import { conditionType, CONDITION_TYPES } from '../../src/policy/conditions/index.js';
import { type CompileContext, ConditionValueError } from '../../src/policy/conditions/types.js';
import type { ComponentFacts } from '../../src/policy/facts.js';
import { component, vulnerability } from './facts.js';

/** Whether the condition holds for the component (a vulnerability condition: for any of its vulnerabilities). */
function holds(typeId: string, operator: string, value: string, facts: ComponentFacts, context: CompileContext = {}): boolean {
  const type = conditionType(typeId);
  if (!type) throw new Error(`no condition type ${typeId}`);
  const c = type.compile(operator, value, context);
  return c.scope === 'component' ? c.test(facts) : facts.vulnerabilities.some((v) => c.test(v, facts));
}

function reason(typeId: string, operator: string, value: string, facts: ComponentFacts, context: CompileContext = {}): string {
  const c = conditionType(typeId)!.compile(operator, value, context);
  return c.scope === 'component' ? c.reason(facts) : c.reason(facts.vulnerabilities[0]);
}

type Row = [operator: string, value: string, facts: ComponentFacts, expected: boolean];

const v = vulnerability;
const c = component;
const GROUPS: CompileContext = { licenseThreatGroups: new Map([['copyleft-id', { name: 'Copyleft' }], ['liberal-id', { name: 'Liberal' }]]) };

const TABLES: Record<string, { rows: Row[]; context?: CompileContext }> = {
  SecurityVulnerabilitySeverity: {
    rows: [
      ['>=', '7', c({ vulnerabilities: [v({ severity: 7.0 })] }), true],
      ['>=', '7', c({ vulnerabilities: [v({ severity: 6.9 })] }), false],
      ['>', '7', c({ vulnerabilities: [v({ severity: 7.0 })] }), false],
      ['<', '4', c({ vulnerabilities: [v({ severity: 3.9 })] }), true],
      ['<=', '4', c({ vulnerabilities: [v({ severity: 4 })] }), true],
      ['=', '9.8', c({ vulnerabilities: [v({ severity: 9.8 })] }), true],
      ['>=', '0', c({ vulnerabilities: [v({ severity: undefined })] }), false],
      ['>=', '0', c(), false],
      ['>=', '9', c({ vulnerabilities: [v({ severity: 5 }), v({ refId: 'CVE-2', severity: 9.1 })] }), true],
    ],
  },
  SecurityVulnerability: {
    rows: [
      ['is present', '', c({ vulnerabilities: [v()] }), true],
      ['is present', '', c(), false],
      ['is not present', '', c(), true],
      ['is not present', '', c({ vulnerabilities: [v()] }), false],
    ],
  },
  VulnerabilityId: {
    rows: [
      ['is', 'CVE-2021-23337', c({ vulnerabilities: [v()] }), true],
      ['is', 'ghsa-35jh-r3h4-6jhm', c({ vulnerabilities: [v()] }), true],
      ['is', 'CVE-2000-1, CVE-2021-23337', c({ vulnerabilities: [v()] }), true],
      ['is', 'CVE-2000-1', c({ vulnerabilities: [v()] }), false],
      ['is not', 'CVE-2000-1', c({ vulnerabilities: [v()] }), true],
      ['is not', 'CVE-2021-23337', c({ vulnerabilities: [v()] }), false],
    ],
  },
  SecurityVulnerabilityStatus: {
    rows: [
      ['is', 'OPEN', c({ vulnerabilities: [v()] }), true],
      ['is', 'open', c({ vulnerabilities: [v()] }), true],
      ['is not', 'NOT_APPLICABLE', c({ vulnerabilities: [v({ status: 'NOT_APPLICABLE' })] }), false],
      ['is not', 'NOT_APPLICABLE', c({ vulnerabilities: [v({ status: 'ACKNOWLEDGED' })] }), true],
      ['is', 'CONFIRMED', c(), false],
    ],
  },
  SecurityVulnerabilityCategory: {
    rows: [
      ['is', 'malicious_code', c({ vulnerabilities: [v({ category: 'malicious_code' })] }), true],
      ['is', 'malicious_code', c({ vulnerabilities: [v()] }), false],
      ['is not', 'malicious_code', c({ vulnerabilities: [v()] }), true],
    ],
  },
  SecurityVulnerabilityCwe: {
    rows: [
      ['is', '94', c({ vulnerabilities: [v()] }), true],
      ['is', 'CWE-94', c({ vulnerabilities: [v()] }), true],
      ['is', '79, 89', c({ vulnerabilities: [v()] }), false],
      ['is not', '79', c({ vulnerabilities: [v()] }), true],
      ['is not', '94', c({ vulnerabilities: [v()] }), false],
      ['is not', '94', c({ vulnerabilities: [v({ cweIds: [] })] }), true],
    ],
  },
  License: {
    rows: [
      ['is', 'MIT', c(), true],
      ['is', 'mit', c(), true],
      ['is', 'Apache-2.0', c(), false],
      ['is not', 'Apache-2.0', c(), true],
      ['is not', 'MIT', c(), false],
      // Deprecated SPDX spellings compare by their canonical id.
      ['is', 'GPL-2.0', c({ licenses: [{ licenseId: 'GPL-2.0-only' }] }), true],
      ['is', 'MIT', c({ licenses: [] }), false],
    ],
  },
  'License Threat Group': {
    context: GROUPS,
    rows: [
      ['is', 'liberal-id', c(), true],
      ['is', 'copyleft-id', c(), false],
      ['is', 'copyleft-id', c({ licenses: [{ licenseId: 'MIT', threatGroupId: 'liberal-id' }, { licenseId: 'GPL-3.0-only', threatGroupId: 'copyleft-id' }] }), true],
      // An application's own "Copyleft" overrides the inherited one: same name, other id.
      ['is', 'copyleft-id', c({ licenses: [{ licenseId: 'GPL-3.0-only', threatGroupId: 'app-copyleft', threatGroupName: 'copy left' }] }), true],
      ['is not', 'copyleft-id', c(), true],
      ['is not', 'liberal-id', c(), false],
    ],
  },
  'License Threat Group Level': {
    rows: [
      ['>=', '7', c({ licenses: [{ licenseId: 'GPL-3.0-only', threatLevel: 9 }, { licenseId: 'MIT', threatLevel: 0 }] }), true],
      ['>=', '7', c(), false],
      ['<=', '0', c(), true],
      ['<=', '0', c({ licenses: [{ licenseId: 'Foo' }] }), false],
    ],
  },
  LicenseStatus: {
    rows: [
      ['is', 'OPEN', c(), true],
      ['is', 'OVERRIDDEN', c({ licenseStatus: 'OVERRIDDEN' }), true],
      ['is not', 'OPEN', c(), false],
    ],
  },
  AgeInDays: {
    rows: [
      ['older than', '1825', c({ ageInDays: 1826 }), true],
      ['older than', '1825', c({ ageInDays: 1825 }), false],
      ['younger than', '30', c({ ageInDays: 29 }), true],
      ['younger than', '30', c({ ageInDays: 30 }), false],
      ['older than', '1', c({ ageInDays: undefined }), false],
      ['younger than', '100000', c({ ageInDays: undefined }), false],
    ],
  },
  Coordinates: {
    rows: [
      // The reference's own example: org.eclipse.* excluded from a "similar component" policy.
      ['match', 'maven:org.eclipse.*:*:*:*:*', mvn('org.eclipse.jetty', 'jetty-server', '9.4.0'), true],
      ['match', 'maven:org.eclipse.*:*:*:*:*', mvn('org.apache', 'commons-lang3', '3.0'), false],
      ['do not match', 'maven:org.eclipse.*:*:*:*:*', mvn('org.apache', 'commons-lang3', '3.0'), true],
      ['match', 'maven:ant:ant', mvn('ant', 'ant', '1.6'), true],
      ['match', 'maven:ant:ant:1.*', mvn('ant', 'ant', '1.6'), true],
      ['match', 'maven:ant:ant:2.*', mvn('ant', 'ant', '1.6'), false],
      // Order is group:artifact:version:extension:classifier; an empty classifier means "none".
      ['match', 'maven:ant:ant:*:jar:', mvn('ant', 'ant', '1.6'), true],
      ['match', 'maven:ant:ant:*:jar:', mvn('ant', 'ant', '1.6', 'sources'), false],
      ['match', 'maven:ant:ant:*:*:sources', mvn('ant', 'ant', '1.6', 'sources'), true],
      ['match', 'npm:lodash:4.*', c(), true],
      ['match', 'npm:lod*:*', c(), true],
      ['match', 'npm:lodash.merge', c(), false],
      // Another format never matches, so it never "matches" and always "does not match".
      ['match', 'pypi:lodash', c(), false],
      ['do not match', 'pypi:lodash', c(), true],
      ['match', 'pypi:django:3.*::', pypi('Django', '3.2'), false],
      ['match', 'pypi:Django:3.*::tar.gz', pypi('Django', '3.2'), true],
      // Empty optional parts (qualifier, extension) mean "has none".
      ['match', 'pypi:Django:3.*::', pypi('Django', '3.2'), false],
      ['match', 'pypi:Django:3.*', pypi('Django', '3.2'), true],
      ['match', 'npm:*', c({ componentIdentifier: undefined }), false],
    ],
  },
  ComponentFormat: {
    rows: [
      ['is', 'npm', c(), true],
      ['is', 'maven', c(), false],
      ['is not', 'maven', c(), true],
    ],
  },
  Label: {
    rows: [
      ['is', 'label-1', c({ labelIds: ['label-1'] }), true],
      ['is', 'label-1', c(), false],
      ['is not', 'label-1', c(), true],
    ],
  },
  MatchState: {
    rows: [
      ['is', 'exact', c(), true],
      ['is', 'unknown', c({ matchState: 'unknown' }), true],
      ['is not', 'exact', c({ matchState: 'similar' }), true],
      ['is', 'similar', c(), false],
    ],
  },
  DependencyType: {
    rows: [
      ['is', 'direct', c(), true],
      ['is', 'transitive', c(), false],
      ['is', 'transitive', c({ dependency: { direct: false, depth: 3 } }), true],
      ['is not', 'direct', c({ dependency: { direct: false } }), true],
      ['is', 'direct', c({ dependency: undefined }), false],
      ['is not', 'direct', c({ dependency: undefined }), false],
      ['is', 'innersource', c(), false],
    ],
  },
  DependencyDepth: {
    rows: [
      ['>', '2', c({ dependency: { direct: false, depth: 3 } }), true],
      ['>', '2', c(), false],
      ['=', '1', c(), true],
      ['>=', '1', c({ dependency: undefined }), false],
    ],
  },
  ApplicationCategory: {
    rows: [
      ['is', 'cat-1', c({ application: { id: 'a', categoryIds: ['cat-1'] } }), true],
      ['is', 'cat-1', c(), false],
      ['is not', 'cat-1', c(), true],
    ],
  },
  IdentificationSource: {
    rows: [
      ['is', 'Package Manifest', c(), true],
      ['is', 'manual', c({ identificationSource: 'Manual' }), true],
      ['is not', 'Manual', c(), true],
      ['is', 'Sonatype', c({ identificationSource: undefined }), false],
    ],
  },
  Proprietary: {
    rows: [
      ['is true', '', c({ proprietary: true }), true],
      ['is true', '', c(), false],
      ['is false', '', c(), true],
    ],
  },
  CvssScore: {
    rows: [
      ['>=', '7', c({ vulnerabilities: [v({ severity: 5, cvssScore: 7.5 })] }), true],
      ['>=', '7', c({ vulnerabilities: [v({ severity: 9, cvssScore: 6.1 })] }), false],
      ['>=', '0', c({ vulnerabilities: [v({ cvssScore: undefined })] }), false],
    ],
  },
  Epss: {
    rows: [
      ['>=', '0.1', c({ vulnerabilities: [v({ epss: 0.97 })] }), true],
      ['>=', '0.1', c({ vulnerabilities: [v({ epss: 0.0004 })] }), false],
      ['<', '1', c({ vulnerabilities: [v()] }), false],
    ],
  },
  CisaKev: {
    rows: [
      ['is true', '', c({ vulnerabilities: [v({ cisaKev: true })] }), true],
      ['is true', '', c({ vulnerabilities: [v()] }), false],
      ['is false', '', c({ vulnerabilities: [v()] }), true],
    ],
  },
  SecurityVulnerabilityScoreSource: {
    rows: [
      ['is', 'unscored', c({ vulnerabilities: [v({ severity: undefined, cvssScore: undefined, scoreSource: 'unscored' })] }), true],
      ['is', 'UNSCORED', c({ vulnerabilities: [v({ severity: undefined, cvssScore: undefined, scoreSource: 'unscored' })] }), true],
      ['is', 'unscored', c({ vulnerabilities: [v()] }), false],
      ['is', 'unscored', c(), false],
      ['is not', 'unscored', c({ vulnerabilities: [v()] }), true],
      ['is', 'osv', c({ vulnerabilities: [v()] }), true],
      ['is', 'alias', c({ vulnerabilities: [v({ scoreSource: 'alias:GHSA-35jh-r3h4-6jhm' })] }), true],
      ['is', 'osv', c({ vulnerabilities: [v({ scoreSource: 'alias:GHSA-35jh-r3h4-6jhm' })] }), false],
      ['is', 'nvd', c({ vulnerabilities: [v({ scoreSource: 'nvd:CVE-2021-23337' })] }), true],
      ['is', 'qualitative', c({ vulnerabilities: [v({ severity: 8, cvssScore: undefined, scoreSource: 'qualitative:GHSA-35jh-r3h4-6jhm', scoreRating: 'HIGH' })] }), true],
      // a record id that starts like a kind does not make one
      ['is', 'unscored', c({ vulnerabilities: [v({ scoreSource: 'osv:unscored' })] }), false],
    ],
  },
  FixAvailable: {
    rows: [
      ['is true', '', c({ vulnerabilities: [v({ fixVersion: '4.17.21' })] }), true],
      ['is true', '', c({ vulnerabilities: [v()] }), false],
      ['is false', '', c({ vulnerabilities: [v()] }), true],
    ],
  },
  VersionDistance: {
    rows: [
      ['>=', '3', c({ versionDistance: 5, isLatest: false }), true],
      ['>=', '3', c(), false],
      ['=', '0', c({ versionDistance: undefined }), false],
    ],
  },
  IsLatest: {
    rows: [
      ['is true', '', c(), true],
      ['is false', '', c({ isLatest: false }), true],
      ['is false', '', c({ isLatest: undefined }), false],
    ],
  },
  ComponentHash: {
    rows: [
      ['is', '0123456789abcdef0123', c(), true],
      ['is', '0123456789ABCDEF0123, ffffffffffffffffffff', c(), true],
      ['is', 'ffffffffffffffffffff', c(), false],
      ['is not', 'ffffffffffffffffffff', c(), true],
      ['is', '0123456789abcdef0123', c({ hash: undefined }), false],
    ],
  },
};

function mvn(groupId: string, artifactId: string, version: string, classifier?: string): ComponentFacts {
  const coordinates: Record<string, string> = { groupId, artifactId, version, extension: 'jar', ...(classifier ? { classifier } : {}) };
  return component({ format: 'maven', componentIdentifier: { format: 'maven', coordinates }, displayName: `${groupId} : ${artifactId} : ${version}` });
}

function pypi(name: string, version: string): ComponentFacts {
  return component({ format: 'pypi', componentIdentifier: { format: 'pypi', coordinates: { name, version, extension: 'tar.gz' } }, displayName: `${name} ${version}` });
}

describe('condition types', () => {
  it('has a table for every condition type', () => {
    expect(Object.keys(TABLES).sort()).toEqual(CONDITION_TYPES.map((t) => t.id).sort());
  });

  for (const [typeId, { rows, context }] of Object.entries(TABLES)) {
    it.each(rows.map((r, i) => [i, ...r] as const))(`${typeId} #%i: %s "%s"`, (_i, operator, value, facts, expected) => {
      expect(holds(typeId, operator, value, facts, context)).toBe(expected);
    });
  }
});

describe('condition values are checked when a policy is saved', () => {
  const BAD: Array<[typeId: string, operator: string, value: string, message: string, context?: CompileContext]> = [
    ['SecurityVulnerabilitySeverity', 'is', '7', 'does not support the operator "is"'],
    ['SecurityVulnerabilitySeverity', '>=', 'high', 'needs a number from 0 to 10'],
    ['SecurityVulnerabilitySeverity', '>=', '11', 'needs a number from 0 to 10'],
    ['SecurityVulnerabilitySeverity', '>=', '', 'needs a number'],
    ['SecurityVulnerabilityStatus', 'is', 'FIXED', 'must be one of OPEN, ACKNOWLEDGED, NOT_APPLICABLE, CONFIRMED'],
    ['SecurityVulnerabilityCwe', 'is', 'XSS', 'needs CWE numbers'],
    ['AgeInDays', 'older than', '1.5', 'needs a whole number'],
    ['AgeInDays', 'older than', '0', 'from 1'],
    ['AgeInDays', '>', '10', 'does not support the operator ">"'],
    ['Coordinates', 'match', 'cobol:foo', 'must start with a known format'],
    ['Coordinates', 'match', 'npm:a:b:c', 'has at most 2 parts'],
    ['Coordinates', 'is', 'npm:a', 'does not support the operator "is"'],
    ['MatchState', 'is', 'fuzzy', 'must be one of exact, similar, unknown'],
    ['License', 'is', ' ', 'needs a license id'],
    ['License Threat Group', 'is', 'nope', 'is not a license threat group', GROUPS],
    ['License Threat Group Level', '>', '5', 'does not support the operator ">"'],
    ['Label', 'is', 'nope', 'is not a label', { labels: new Map() }],
    ['ApplicationCategory', 'is', 'nope', 'is not an application category', { applicationCategories: new Map() }],
    ['Proprietary', 'is true', 'yes', 'takes no value'],
    ['Epss', '>=', '5', 'from 0 to 1'],
    ['ComponentHash', 'is', 'abc', 'needs 20 hex characters'],
    ['ComponentFormat', 'is', 'cobol', 'is not a known component format'],
    ['DependencyType', 'is', 'indirect', 'must be one of direct, transitive, innersource'],
    ['IdentificationSource', 'is', 'Magic', 'must be one of'],
    ['SecurityVulnerabilityScoreSource', 'is', 'cvss', 'must be one of osv, alias, nvd, qualitative, unscored'],
    ['SecurityVulnerabilityScoreSource', '=', 'unscored', 'does not support the operator "="'],
  ];
  it.each(BAD)('%s %s "%s"', (typeId, operator, value, message, context) => {
    const type = conditionType(typeId)!;
    expect(() => type.compile(operator, value, context ?? {})).toThrow(ConditionValueError);
    expect(() => type.compile(operator, value, context ?? {})).toThrow(message);
  });

  it('accepts aliases and answers with the reference spelling', () => {
    expect(conditionType('LicenseThreatGroup')?.id).toBe('License Threat Group');
    expect(conditionType('LicenseThreatGroupLevel')?.id).toBe('License Threat Group Level');
    expect(conditionType('Cwe')?.id).toBe('SecurityVulnerabilityCwe');
    expect(conditionType('HygieneRating')).toBeUndefined();
  });
});

describe('reasons', () => {
  it('words security reasons as the reference does', () => {
    expect(reason('SecurityVulnerabilitySeverity', '>=', '4', component({ vulnerabilities: [vulnerability({ refId: 'CVE-2012-2098', severity: 5 })] }))).toBe(
      'Found security vulnerability CVE-2012-2098 with severity >= 4 (severity = 5.0)',
    );
  });
  it('says where a score came from when it is not the matched record\'s own CVSS, from the vulnerability fact alone', () => {
    const severity = (fact: Partial<ReturnType<typeof vulnerability>>) =>
      reason('SecurityVulnerabilitySeverity', '>=', '7', component({ vulnerabilities: [vulnerability({ refId: 'CVE-2023-1', ...fact })] }));
    expect(severity({ severity: 7.5, cvssScore: 7.5, scoreSource: 'osv:PYSEC-2023-1' })).toBe('Found security vulnerability CVE-2023-1 with severity >= 7 (severity = 7.5)');
    expect(severity({ severity: 7.5, cvssScore: 7.5, scoreSource: 'alias:GHSA-aaaa-bbbb-cccc' })).toBe(
      'Found security vulnerability CVE-2023-1 with severity >= 7 (severity = 7.5, CVSS 7.5 from GHSA-aaaa-bbbb-cccc)',
    );
    expect(severity({ severity: 9.8, cvssScore: 9.8, scoreSource: 'nvd:CVE-2023-1' })).toBe(
      'Found security vulnerability CVE-2023-1 with severity >= 7 (severity = 9.8, CVSS 9.8 from NVD (CVE-2023-1))',
    );
    expect(severity({ severity: 8, cvssScore: undefined, scoreSource: 'qualitative:GHSA-aaaa-bbbb-cccc', scoreRating: 'HIGH' })).toBe(
      'Found security vulnerability CVE-2023-1 with severity >= 7 (severity = 8.0, rated HIGH by GHSA-aaaa-bbbb-cccc, scored as 8.0)',
    );
    const unscored = vulnerability({ refId: 'GO-2022-0969', severity: undefined, cvssScore: undefined, scoreSource: 'unscored' });
    expect(reason('SecurityVulnerabilityScoreSource', 'is', 'unscored', component({ vulnerabilities: [unscored] }))).toBe(
      "Found security vulnerability GO-2022-0969 without a score: no CVSS vector or severity rating is known for it (is 'unscored')",
    );
    expect(reason('SecurityVulnerabilityScoreSource', 'is', 'alias', component({ vulnerabilities: [vulnerability({ scoreSource: 'alias:GHSA-aaaa-bbbb-cccc' })] }))).toBe(
      "Found security vulnerability CVE-2021-23337 scored from alias (GHSA-aaaa-bbbb-cccc) (is 'alias')",
    );
  });
  it('names licenses, groups, coordinates and ages', () => {
    expect(reason('License', 'is', 'Apache-1.1', component({ licenses: [{ licenseId: 'Apache-1.1' }] }))).toBe("Found 'Apache-1.1' license");
    expect(reason('License Threat Group', 'is', 'liberal-id', component(), GROUPS)).toBe("Found 'MIT' license in license threat group 'Liberal'");
    expect(reason('Coordinates', 'match', 'maven:ant:ant:*:*:*', mvn('ant', 'ant', '1.6'))).toBe('Coordinates were ant : ant : 1.6 (match maven: ant : ant : * : * : *)');
    expect(reason('AgeInDays', 'older than', '730', component({ ageInDays: 800 }))).toBe('Age was 800 days (older than 730 days)');
  });
});
