import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeDependencies } from '../../src/sbom/graph.js';
import { LOCKFILE_ROOT } from '../../src/sbom/lockfiles/builder.js';
import { readLockfile } from '../../src/sbom/lockfiles/index.js';
import type { Sbom } from '../../src/sbom/model.js';
import { readShared, sharedFile } from '../helpers/shared.js';

const local = (path: string) => readFileSync(new URL(`../fixtures/lockfiles/${path}`, import.meta.url));
const haveShared = sharedFile('fixtures/lockfiles/PROVENANCE.tsv') !== undefined;
const shared = (path: string) => readLockfile(path, readShared(`fixtures/lockfiles/${path}`));

function byPurl(sbom: Sbom, purl: string) {
  const c = sbom.components.find((x) => x.purl === purl);
  if (!c) throw new Error(`${purl} not among ${sbom.components.length} components`);
  return c;
}
function directPurls(sbom: Sbom): string[] {
  return (sbom.dependencies.get(LOCKFILE_ROOT) ?? []).sort();
}

describe('npm package-lock.json (generated here by npm 6 and npm 11)', () => {
  it.each(['npm-v1', 'npm-v3'])('%s: every package with its version, direct deps and the graph', (dir) => {
    const sbom = readLockfile('package-lock.json', local(`${dir}/package-lock.json`));
    expect(sbom.components.length).toBeGreaterThan(50);
    expect(directPurls(sbom)).toEqual(expect.arrayContaining(['pkg:npm/express@4.17.1', 'pkg:npm/lodash@4.17.20', 'pkg:npm/%40hapi/joi@17.1.1', 'pkg:npm/minimist@1.2.5']));
    expect(byPurl(sbom, 'pkg:npm/minimist@1.2.5').scope).toBe('optional');
    expect(byPurl(sbom, 'pkg:npm/express@4.17.1').hashes['SHA-512']).toMatch(/^[0-9a-f]{128}$/);
    const graph = analyzeDependencies(sbom);
    const bodyParser = sbom.components.find((c) => c.name === 'body-parser')!;
    expect(graph.get(bodyParser.ref)).toMatchObject({ direct: false, depth: 2 });
    expect(graph.get(bodyParser.ref)!.paths[0]).toEqual(['pkg:npm/express@4.17.1', bodyParser.ref]);
  });

  it('reads the same packages from v1 and v3', () => {
    const v1 = readLockfile('package-lock.json', local('npm-v1/package-lock.json'));
    const v3 = readLockfile('package-lock.json', local('npm-v3/package-lock.json'));
    expect(v1.components.map((c) => c.purl).sort()).toEqual(v3.components.map((c) => c.purl).sort());
  });
});

describe('yarn.lock', () => {
  it('berry (generated here by Yarn 4): the workspace’s dependencies are direct', () => {
    const sbom = readLockfile('yarn.lock', local('yarn-berry/yarn.lock'));
    expect(sbom.specVersion).toBe('yarn.lock (berry)');
    expect(directPurls(sbom)).toEqual(['pkg:npm/%40hapi/joi@17.1.1', 'pkg:npm/express@4.17.1', 'pkg:npm/lodash@4.17.20', 'pkg:npm/minimist@1.2.5']);
    expect(sbom.dependencies.get('pkg:npm/%40hapi/joi@17.1.1')).toContain('pkg:npm/%40hapi/hoek@9.3.0');
  });

  it.skipIf(!haveShared)('classic (yarn’s own lockfile)', () => {
    const sbom = shared('yarn/yarn.lock');
    expect(sbom.specVersion).toBe('yarn.lock (classic)');
    expect(sbom.components.length).toBeGreaterThan(1000);
    const codeFrame = byPurl(sbom, 'pkg:npm/%40babel/code-frame@7.0.0-beta.55');
    expect(sbom.dependencies.get(codeFrame.ref)).toEqual(['pkg:npm/%40babel/highlight@7.0.0-beta.55']);
  });
});

describe.skipIf(!haveShared)('real lockfiles of public projects', () => {
  it('pnpm-lock.yaml v9 (vue core)', () => {
    const sbom = shared('vue/pnpm-lock.yaml');
    expect(sbom.components.length).toBeGreaterThan(500);
    expect(directPurls(sbom)).toContain('pkg:npm/%40babel/parser@7.29.8');
    // peer-dependency suffixes are not part of the version
    expect(sbom.components.every((c) => !c.version?.includes('('))).toBe(true);
  });

  it('poetry.lock: groups and the dependency graph', () => {
    const sbom = shared('poetry/poetry.lock');
    const anyio = byPurl(sbom, 'pkg:pypi/anyio@4.13.0');
    expect(anyio.hashes['SHA-256']).toBe('08b310f9e24a9594186fd75b4f73f4a4152069e3853f1ed8bfbf58369f4ad708');
    expect(sbom.dependencies.get(anyio.ref)).toEqual(expect.arrayContaining([expect.stringMatching(/^pkg:pypi\/idna@/)]));
  });

  it('Pipfile.lock: default and develop', () => {
    const sbom = shared('pipenv/Pipfile.lock');
    expect(byPurl(sbom, 'pkg:pypi/exceptiongroup@1.3.1').scope).toBe('required');
    expect(sbom.components.some((c) => c.scope === 'optional')).toBe(true);
  });

  it('go.mod and go.sum', () => {
    const mod = shared('vulndb/go.mod');
    expect(directPurls(mod)).toContain('pkg:golang/cloud.google.com/go/errorreporting@v0.4.0');
    expect(mod.components.length).toBeGreaterThan(directPurls(mod).length);
    const sum = shared('vulndb/go.sum');
    expect(byPurl(sum, 'pkg:golang/cloud.google.com/go@v0.123.0').hashes['SHA-256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Cargo.lock (ripgrep): workspace crates are the project, their dependencies direct', () => {
    const sbom = shared('ripgrep/Cargo.lock');
    expect(sbom.components.some((c) => c.name === 'ripgrep')).toBe(false);
    const aho = byPurl(sbom, 'pkg:cargo/aho-corasick@1.1.5');
    expect(aho.hashes['SHA-256']).toBe('c982642fa9e8606056828ee9a8505737230110bb1099153c79efe865c59d12ba');
    expect(sbom.dependencies.get(aho.ref)).toEqual([expect.stringMatching(/^pkg:cargo\/memchr@/)]);
    expect(directPurls(sbom).length).toBeGreaterThan(5);
  });

  it('Gemfile.lock (devise): GEM, GIT and PATH specs; DEPENDENCIES and the local gem’s dependencies are direct', () => {
    const sbom = shared('devise/Gemfile.lock');
    expect(byPurl(sbom, 'pkg:gem/mongoid@9.0.10')).toBeTruthy();
    expect(sbom.components.some((c) => c.name === 'devise')).toBe(false);
    expect(directPurls(sbom)).toEqual(expect.arrayContaining([expect.stringMatching(/^pkg:gem\/bcrypt@/), expect.stringMatching(/^pkg:gem\/railties@/)]));
  });

  it('composer.lock (composer): licenses and requires, platform packages skipped', () => {
    const sbom = shared('composer/composer.lock');
    const caBundle = byPurl(sbom, 'pkg:composer/composer/ca-bundle@1.5.12');
    expect(caBundle.license).toBe('MIT');
    expect(sbom.components.some((c) => c.name === 'php' || c.name.startsWith('ext-'))).toBe(false);
  });

  it('pom.xml (petclinic): declared dependencies, test scope optional, unknown parent-managed versions kept unversioned', () => {
    const sbom = shared('petclinic/pom.xml');
    expect(sbom.components.length).toBeGreaterThan(10);
    expect(sbom.components.every((c) => c.purl?.startsWith('pkg:maven/'))).toBe(true);
    expect(sbom.components.find((c) => c.name === 'spring-boot-starter-webmvc-test')?.scope).toBe('optional');
    expect(sbom.components.find((c) => c.name === 'h2')?.scope).toBe('required');
    const versioned = sbom.components.filter((c) => c.version);
    expect(versioned.every((c) => !c.version!.includes('${'))).toBe(true);
  });
});

describe('hand-written fixtures in the real formats', () => {
  it('requirements.txt: pins, extras, markers, hashes; options and includes skipped', () => {
    const sbom = readLockfile('requirements.txt', local('requirements/requirements.txt'));
    expect(sbom.components.map((c) => c.purl).sort()).toEqual([
      'pkg:pypi/django@3.2.4', 'pkg:pypi/flask', 'pkg:pypi/pyyaml', 'pkg:pypi/requests@2.25.1', 'pkg:pypi/urllib3@1.26.4',
    ]);
    expect(byPurl(sbom, 'pkg:pypi/django@3.2.4').hashes['SHA-256']).toBe('ea735cbbbb3b2fba6d4da4784a0043d84c67c92f1fdf15ad6db69900e792c10f');
  });

  it('gradle.lockfile: test-only configurations are optional', () => {
    const sbom = readLockfile('gradle.lockfile', local('gradle/gradle.lockfile'));
    expect(sbom.components).toHaveLength(4);
    expect(byPurl(sbom, 'pkg:maven/junit/junit@4.12?type=jar').scope).toBe('optional');
    expect(byPurl(sbom, 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar').scope).toBe('required');
  });

  it('packages.lock.json (NuGet): Direct and Transitive, projects skipped', () => {
    const sbom = readLockfile('packages.lock.json', local('nuget/packages.lock.json'));
    expect(directPurls(sbom)).toEqual(['pkg:nuget/Newtonsoft.Json@12.0.1', 'pkg:nuget/Serilog.Sinks.Console@4.0.0']);
    expect(sbom.dependencies.get('pkg:nuget/Serilog.Sinks.Console@4.0.0')).toEqual(['pkg:nuget/Serilog@2.10.0']);
  });

  it('unknown names and broken files get clear errors', () => {
    expect(() => readLockfile('build.sbt', 'x')).toThrow(/no reader for "build.sbt"/);
    expect(() => readLockfile('package-lock.json', '{')).toThrow(/package-lock.json is not valid JSON/);
    expect(() => readLockfile('poetry.lock', '[[package]\nname=')).toThrow(/poetry.lock is not valid TOML/);
    expect(() => readLockfile('pom.xml', '<!DOCTYPE x [<!ENTITY a "b">]><project/>')).toThrow(/DOCTYPE or ENTITY/);
    expect(() => readLockfile('gradle.lockfile', 'not a lock line')).toThrow(/gradle.lockfile: cannot read/);
  });
});
