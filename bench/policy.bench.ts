// Policy engine throughput: 10,000 synthetic components against the reference policies plus a
// few of Tollgate's own conditions (about 20 policies). Run with `npx tsx bench/policy.bench.ts`
// or `npm run bench`.
import { performance } from 'node:perf_hooks';
import { PolicyEngine } from '../src/policy/engine.js';
import type { ApplicationFacts, ComponentFacts, LicenseFact, VulnerabilityFact } from '../src/policy/facts.js';
import type { Policy } from '../src/policy/model.js';
import { referencePolicies, rootThreatGroupId } from '../src/policy/reference-policies.js';

const COMPONENTS = 10_000;
const ROUNDS = 5;

/** A small deterministic generator, so that every run measures the same work. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const GROUPS = ['Banned', 'Copyleft', 'Commercial', 'Non Standard', 'Weak Copyleft', 'Liberal', 'Liberal', 'Liberal', 'Liberal'];

function syntheticComponents(n: number): ComponentFacts[] {
  const rnd = random(42);
  const application: ApplicationFacts = { id: 'bench-app', categoryIds: ['distributed'] };
  const out: ComponentFacts[] = [];
  for (let i = 0; i < n; i++) {
    const name = `package-${i % 3000}`;
    const version = `${Math.floor(rnd() * 10)}.${Math.floor(rnd() * 20)}.${i % 7}`;
    const group = GROUPS[Math.floor(rnd() * GROUPS.length)];
    const licenses: LicenseFact[] = [{ licenseId: `LIC-${group}`, threatGroupId: rootThreatGroupId(group), threatGroupName: group, threatLevel: 5 }];
    const vulnerabilities: VulnerabilityFact[] = [];
    if (rnd() < 0.25) {
      const count = 1 + Math.floor(rnd() * 5);
      for (let v = 0; v < count; v++) {
        const severity = Math.round(rnd() * 100) / 10;
        vulnerabilities.push({
          refId: `CVE-2024-${i}${v}`,
          aliases: [`GHSA-${i}-${v}`],
          severity,
          cvssScore: severity,
          scoreSource: `osv:GHSA-${i}-${v}`,
          cweIds: [`CWE-${Math.floor(rnd() * 900)}`],
          status: rnd() < 0.1 ? 'NOT_APPLICABLE' : 'OPEN',
          epss: rnd(),
          cisaKev: rnd() < 0.01,
          ...(rnd() < 0.6 ? { fixVersion: '99.0.0' } : {}),
        });
      }
    }
    out.push({
      format: 'npm',
      componentIdentifier: { format: 'npm', coordinates: { packageId: name, version } },
      packageUrl: `pkg:npm/${name}@${version}`,
      hash: (i * 2654435761).toString(16).padStart(20, '0').slice(-20),
      displayName: `${name} ${version}`,
      matchState: rnd() < 0.05 ? 'unknown' : 'exact',
      identificationSource: 'Package Manifest',
      proprietary: false,
      dependency: { direct: rnd() < 0.1, depth: 1 + Math.floor(rnd() * 6) },
      labelIds: [],
      licenses,
      licenseStatus: 'OPEN',
      vulnerabilities,
      ageInDays: Math.floor(rnd() * 4000),
      isLatest: rnd() < 0.3,
      versionDistance: Math.floor(rnd() * 30),
      application,
    });
  }
  return out;
}

function tollgatePolicies(): Policy[] {
  const make = (name: string, conditions: Policy['constraints'][0]['conditions'], operator: 'AND' | 'OR' = 'AND'): Policy => ({
    id: `bench-${name}`,
    name,
    ownerType: 'organization',
    ownerId: 'bench-org',
    threatLevel: 5,
    actions: { build: 'warn' },
    tagIds: [],
    constraints: [{ id: `bench-${name}-c`, name, operator, conditions }],
  });
  return [
    make('Exploitable', [{ conditionTypeId: 'Epss', operator: '>=', value: '0.5' }, { conditionTypeId: 'FixAvailable', operator: 'is true', value: '' }]),
    make('CVSS network', [{ conditionTypeId: 'CvssScore', operator: '>=', value: '8' }]),
    make('Outdated', [{ conditionTypeId: 'VersionDistance', operator: '>=', value: '20' }, { conditionTypeId: 'IsLatest', operator: 'is false', value: '' }]),
    make('Internal packages', [{ conditionTypeId: 'Coordinates', operator: 'match', value: 'npm:package-1*:*' }]),
    make('Deep deps', [{ conditionTypeId: 'DependencyDepth', operator: '>', value: '5' }]),
    make('Injection', [{ conditionTypeId: 'SecurityVulnerabilityCwe', operator: 'is', value: '79, 89, 94' }]),
    make('Distributed copyleft', [
      { conditionTypeId: 'ApplicationCategory', operator: 'is', value: 'distributed' },
      { conditionTypeId: 'License Threat Group Level', operator: '>=', value: '9' },
    ]),
  ];
}

const components = syntheticComponents(COMPONENTS);
const policies = [...referencePolicies(), ...tollgatePolicies()];
const compileStart = performance.now();
const engine = new PolicyEngine(policies);
const compileMs = performance.now() - compileStart;

let best = Number.POSITIVE_INFINITY;
let violations = 0;
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  const result = engine.evaluate(components, { stage: 'release' });
  best = Math.min(best, performance.now() - start);
  violations = result.violations.length;
}

const perSecond = (n: number) => Math.round(n / (best / 1000)).toLocaleString('en');
console.log(`policy engine: ${COMPONENTS.toLocaleString('en')} components × ${policies.length} policies (compiled in ${compileMs.toFixed(1)} ms)`);
console.log(`  best of ${ROUNDS}: ${best.toFixed(1)} ms, ${violations.toLocaleString('en')} violations`);
console.log(`  ${perSecond(COMPONENTS)} components/s, ${perSecond(COMPONENTS * policies.length)} component×policy evaluations/s`);
