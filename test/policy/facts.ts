import type { ApplicationFacts, ComponentFacts, VulnerabilityFact } from '../../src/policy/facts.js';

export const APP: ApplicationFacts = { id: 'app-1', categoryIds: [] };

/** A plain, clean npm component; tests override what they look at. */
export function component(overrides: Partial<ComponentFacts> = {}): ComponentFacts {
  return {
    format: 'npm',
    componentIdentifier: { format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.21' } },
    packageUrl: 'pkg:npm/lodash@4.17.21',
    hash: '0123456789abcdef0123',
    displayName: 'lodash 4.17.21',
    matchState: 'exact',
    identificationSource: 'Package Manifest',
    proprietary: false,
    dependency: { direct: true, depth: 1 },
    labelIds: [],
    licenses: [{ licenseId: 'MIT', threatGroupId: 'liberal-id', threatGroupName: 'Liberal', threatLevel: 0 }],
    licenseStatus: 'OPEN',
    vulnerabilities: [],
    ageInDays: 100,
    isLatest: true,
    versionDistance: 0,
    application: APP,
    ...overrides,
  };
}

export function vulnerability(overrides: Partial<VulnerabilityFact> = {}): VulnerabilityFact {
  return { refId: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'], severity: 7.2, cvssScore: 7.2, scoreSource: 'osv:GHSA-35jh-r3h4-6jhm', cweIds: ['CWE-94'], status: 'OPEN', ...overrides };
}
