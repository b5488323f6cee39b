import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ECOSYSTEMS, type EcosystemDescriptor, ecosystemOf } from '../../src/ecosystems/index.js';
import { ecosystemForFormat, formatForEcosystem, fromPackageUrl, identifierForOsvPackage, osvPackageOf } from '../../src/ecosystems/identity.js';
import { versioningFor } from '../../src/ecosystems/versioning/index.js';
import { REGISTRY_FORMATS, registryFor, registryRequestFor } from '../../src/intel/registries/index.js';
import { isLockfileName, LOCKFILE_NAMES, readLockfile } from '../../src/sbom/lockfiles/index.js';
import { readsFile } from '../../src/sbom/lockfiles/reader.js';
import { importGraph, importPath, reachableFrom, SRC } from '../helpers/import-graph.js';

/**
 * Every ecosystem descriptor (src/ecosystems/<format>/index.ts) is complete and agrees with the
 * lookups built from the list: a new ecosystem that misses a step fails here, saying which.
 */

const byFormat = (format: string) => ECOSYSTEMS.find((e) => e.format === format)!;
const withRegistry = ECOSYSTEMS.filter((e) => e.registry);
const withDepsDev = ECOSYSTEMS.filter((e) => e.registry?.depsDev);

describe('the ecosystem descriptors', () => {
  it('are one per folder of src/ecosystems/ that has an index.ts, named as the folder, all listed', async () => {
    const dir = join(SRC, 'ecosystems');
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'index.ts')) && e.name !== 'versioning')
      .map((e) => e.name);
    expect(new Set(folders)).toEqual(new Set(ECOSYSTEMS.map((e) => e.format)));
    for (const folder of folders) {
      const exported = Object.values(await import(pathToFileURL(join(dir, folder, 'index.ts')).href)) as EcosystemDescriptor[];
      expect(exported, folder).toEqual([byFormat(folder)]);
    }
  });

  it('name each format and alias once, lowercase; an identity module is its format’s, and its purl type one of the names', () => {
    const names = ECOSYSTEMS.flatMap((e) => [e.format, ...(e.aliases ?? [])]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const e of ECOSYSTEMS) {
      for (const name of [e.format, ...(e.aliases ?? [])]) expect(name).toMatch(/^[a-z][a-z0-9.+-]*$/);
      if (!e.identity) continue;
      expect(e.identity.format).toBe(e.format);
      expect([e.format, ...(e.aliases ?? [])]).toContain(e.identity.purlType);
      for (const name of [e.format, ...(e.aliases ?? [])]) expect(ecosystemOf(name.toUpperCase())).toBe(e);
    }
  });

  it('map every OSV ecosystem name back to its format, and each format to its primary ecosystem', () => {
    const osvNames = ECOSYSTEMS.flatMap((e) => e.osv?.ecosystems ?? []).map((n) => n.toLowerCase());
    expect(osvNames.filter((n, i) => osvNames.indexOf(n) !== i)).toEqual([]);
    for (const e of ECOSYSTEMS) {
      if (!e.osv) {
        expect(ecosystemForFormat(e.format)).toBeUndefined();
        continue;
      }
      expect(e.osv.ecosystems.length, e.format).toBeGreaterThan(0);
      expect(ecosystemForFormat(e.format)).toBe(e.osv.ecosystems[0]);
      for (const name of e.osv.ecosystems) {
        expect(formatForEcosystem(name), name).toBe(e.format);
        expect(formatForEcosystem(`${name}:1`), name).toBe(e.format);
        // A package OSV names in this ecosystem is a component of this format, and back where advisories can be named from it.
        const identifier = identifierForOsvPackage({ ecosystem: name, name: samplePackage(e) }, '1.0.0');
        expect(identifier.format).toBe(e.format);
        const back = osvPackageOf(identifier);
        if (back) expect(back).toEqual({ ecosystem: e.osv.ecosystems[0], name: samplePackage(e), version: '1.0.0' });
      }
      for (const name of e.osv.unversioned ?? []) expect(e.osv.ecosystems).toContain(name);
    }
  });

  it('give versioningFor the scheme of each format, alias and OSV ecosystem (none where the descriptor says so)', () => {
    for (const e of ECOSYSTEMS) {
      const unversioned = e.osv?.unversioned ?? [];
      for (const name of [e.format, ...(e.aliases ?? []), ...(e.osv?.ecosystems ?? [])]) {
        expect(versioningFor(name), `${e.format}: ${name}`).toBe(unversioned.includes(name) ? undefined : e.versioning);
      }
    }
  });

  it('give every registry an adapter for its format, its settings under registries.<format> and a request name', () => {
    expect(REGISTRY_FORMATS).toEqual(withRegistry.map((e) => e.format));
    const config = loadConfig({ file: false, env: {} });
    for (const e of withRegistry) {
      expect(Object.keys(config.registries), e.format).toContain(e.format);
      expect(registryFor(config, e.format).ecosystem).toBe(e.format);
      expect(e.registry!.packageName({}), e.format).toBeUndefined();
      const identifier = identifierForOsvPackage({ ecosystem: e.osv!.ecosystems[0], name: samplePackage(e) }, '1.0.0');
      expect(registryRequestFor(identifier)).toEqual({ format: e.format, name: samplePackage(e), version: '1.0.0' });
    }
  });

  it('let deps.dev answer exactly for the formats whose descriptor names its system, as registries.depsdev.formats allows', () => {
    const formats = withDepsDev.map((e) => e.format);
    const config = loadConfig({ file: false, env: { TOLLGATE_REGISTRIES_DEPSDEV_FORMATS: formats.join(',') } });
    for (const e of withRegistry) {
      const adapter = registryFor(config, e.format);
      expect(adapter.registry, e.format).toBe(e.registry!.depsDev ? 'deps.dev' : registryFor(loadConfig({ file: false, env: {} }), e.format).registry);
      expect(adapter.ecosystem).toBe(e.format);
    }
    for (const e of withRegistry.filter((x) => !x.registry!.depsDev)) {
      expect(() => loadConfig({ file: false, env: { TOLLGATE_REGISTRIES_DEPSDEV_FORMATS: e.format } }), e.format).toThrow(/registries\.depsdev\.formats/);
    }
  });
});

describe('the lockfile readers of the descriptors', () => {
  const readers = ECOSYSTEMS.flatMap((e) => (e.lockfiles ?? []).map((reader) => ({ ecosystem: e, reader })));

  it('read every file name they list, each name by exactly one reader, and LOCKFILE_NAMES lists them all', () => {
    expect(new Set(readers.map((r) => r.reader)).size).toBe(readers.length);
    expect(LOCKFILE_NAMES).toEqual(readers.flatMap((r) => r.reader.fileNames));
    for (const name of LOCKFILE_NAMES) {
      const readBy = readers.filter((r) => readsFile(r.reader, name) && readsFile(r.reader, `sub/dir/${name}`));
      expect(readBy.length, name).toBe(1);
      expect(readBy[0].reader.fileNames).toContain(name);
      expect(isLockfileName(name)).toBe(true);
    }
  });

  it('each read its ecosystem’s packages (a small file of every name, written in the tool’s format)', () => {
    expect(Object.keys(LOCKFILES).sort()).toEqual([...LOCKFILE_NAMES].sort());
    for (const { ecosystem, reader } of readers) {
      for (const name of reader.fileNames) {
        const sbom = readLockfile(name, LOCKFILES[name]);
        expect(sbom.components.length, name).toBeGreaterThan(0);
        for (const c of sbom.components) expect(fromPackageUrl(c.purl!).format, `${name}: ${c.purl}`).toBe(ecosystem.format);
      }
    }
  });
});

describe('the import graph around the descriptors', () => {
  const graph = importGraph();

  it('is read from the sources: the descriptors name their modules, the lookups read the descriptors', () => {
    expect(graph.get('ecosystems/npm/index.ts')).toEqual(expect.arrayContaining(['ecosystems/npm/identity.ts', 'intel/registries/npm.ts', 'sbom/lockfiles/npm.ts']));
    expect(reachableFrom(graph, 'intel/advisories/names.ts')).toContain('ecosystems/index.ts');
    expect(importPath(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]), 'a.ts', 'a.ts')).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('has no cycle through the descriptors or anything they import', () => {
    const cycles = ['ecosystems/index.ts', ...reachableFrom(graph, 'ecosystems/index.ts')]
      .map((file) => importPath(graph, file, file)?.join(' → '))
      .filter(Boolean);
    expect(cycles).toEqual([]);
  });
});

/** A package name of the ecosystem's OSV form (`group:artifact`, `vendor/name`, a module path, …). */
function samplePackage(e: EcosystemDescriptor): string {
  return { maven: 'org.yaml:snakeyaml', composer: 'monolog/monolog', golang: 'github.com/rs/cors', npm: '@types/semver' }[e.format] ?? 'sample';
}

/** One small file per lockfile name, written by hand in each tool's real format (the npm integrity is ms 2.0.0's, from fixtures/lockfiles/npm-v3). */
const NPM_LOCK = JSON.stringify({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { ms: '2.0.0' } },
    'node_modules/ms': {
      version: '2.0.0',
      resolved: 'https://registry.npmjs.org/ms/-/ms-2.0.0.tgz',
      integrity: 'sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==',
    },
  },
});
const LOCKFILES: Record<string, string> = {
  'package-lock.json': NPM_LOCK,
  'npm-shrinkwrap.json': NPM_LOCK,
  'yarn.lock': '# yarn lockfile v1\n\n\nms@2.0.0:\n  version "2.0.0"\n  resolved "https://registry.yarnpkg.com/ms/-/ms-2.0.0.tgz"\n',
  'pnpm-lock.yaml': [
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    '',
    '  .:',
    '    dependencies:',
    '      ms:',
    '        specifier: 2.0.0',
    '        version: 2.0.0',
    '',
    'packages:',
    '',
    '  ms@2.0.0:',
    '    resolution: {integrity: sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==}',
    '',
    'snapshots:',
    '',
    '  ms@2.0.0: {}',
    '',
  ].join('\n'),
  'requirements.txt': 'requests==2.31.0\n',
  'poetry.lock': '[[package]]\nname = "requests"\nversion = "2.31.0"\ndescription = "Python HTTP for Humans."\noptional = false\npython-versions = ">=3.7"\nfiles = []\n',
  'Pipfile.lock': JSON.stringify({ _meta: { hash: {}, 'pipfile-spec': 6 }, default: { requests: { version: '==2.31.0' } }, develop: {} }),
  'go.mod': 'module example.com/app\n\ngo 1.21\n\nrequire github.com/rs/cors v1.10.1\n',
  // The h1: hashes are placeholders (32 zero bytes), not the module's: the reader only decodes them.
  'go.sum': 'github.com/rs/cors v1.10.1 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ngithub.com/rs/cors v1.10.1/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
  'Cargo.lock': '# This file is automatically @generated by Cargo.\nversion = 3\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "serde",\n]\n\n[[package]]\nname = "serde"\nversion = "1.0.200"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
  'Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n\nBUNDLED WITH\n   2.4.10\n',
  'composer.lock': JSON.stringify({ 'content-hash': '', packages: [{ name: 'monolog/monolog', version: '3.2.0', license: ['MIT'] }], 'packages-dev': [] }),
  'gradle.lockfile': '# This is a Gradle generated file for dependency locking.\njunit:junit:4.13.2=testCompileClasspath\nempty=\n',
  'packages.lock.json': JSON.stringify({ version: 1, dependencies: { 'net8.0': { 'Newtonsoft.Json': { type: 'Direct', requested: '[13.0.3, )', resolved: '13.0.3' } } } }),
  'pom.xml':
    '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>' +
    '<dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version></dependency></dependencies></project>',
};
