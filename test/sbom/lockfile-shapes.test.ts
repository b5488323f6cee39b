import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as toToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { ECOSYSTEMS } from '../../src/ecosystems/index.js';
import { SbomError } from '../../src/sbom/errors.js';
import { readLockfile } from '../../src/sbom/lockfiles/index.js';

/**
 * Every field a JSON, TOML or YAML lockfile reader reads, given a value of every other type: an
 * SbomError naming the file and the field (a 400), never a TypeError (a 500). And every reader fed
 * every other reader's files and hostile text: an SBOM or an SbomError, nothing else.
 */
type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
const WRONG: Record<Kind, unknown> = { object: { x: 1 }, array: [1], string: 'x', number: 1.5, boolean: true, null: null };

interface Case {
  file: string;
  syntax: 'JSON' | 'TOML' | 'YAML';
  doc: Record<string, unknown>;
  /** A field's path in doc and the kinds it may be. */
  fields: Array<[Array<string | number>, Kind[]]>;
}

const NPM_V3 = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { a: '^1.0.0' }, devDependencies: { b: '^1.0.0' } },
    'node_modules/a': { version: '1.0.0', integrity: 'sha512-AAAA', dev: false, devOptional: false, link: false, dependencies: { b: '^1.0.0' }, optionalDependencies: {}, peerDependencies: {} },
    'node_modules/b': { name: 'b', version: '1.0.0' },
  },
};
const npmV3Fields: Case['fields'] = [
  [['packages'], ['object']],
  [['packages', 'node_modules/a'], ['object']],
  [['packages', ''], ['object']],
  [['packages', '', 'dependencies'], ['object']],
  [['packages', '', 'devDependencies'], ['object']],
  ...(['version', 'integrity'] as const).map((f): [string[], Kind[]] => [['packages', 'node_modules/a', f], ['string']]),
  [['packages', 'node_modules/b', 'name'], ['string']],
  ...(['dev', 'devOptional', 'link'] as const).map((f): [string[], Kind[]] => [['packages', 'node_modules/a', f], ['boolean']]),
  ...(['dependencies', 'optionalDependencies', 'peerDependencies'] as const).map((f): [string[], Kind[]] => [['packages', 'node_modules/a', f], ['object']]),
];
const NPM_V1 = {
  lockfileVersion: 1,
  dependencies: { a: { version: '1.0.0', integrity: 'sha512-AAAA', dev: false, requires: { b: '^1.0.0' }, dependencies: { b: { version: '1.0.0' } } } },
};
const npmV1Fields: Case['fields'] = [
  [['dependencies'], ['object']],
  [['dependencies', 'a'], ['object']],
  [['dependencies', 'a', 'version'], ['string']],
  [['dependencies', 'a', 'integrity'], ['string']],
  [['dependencies', 'a', 'dev'], ['boolean']],
  [['dependencies', 'a', 'requires'], ['object']],
  [['dependencies', 'a', 'dependencies'], ['object']],
  [['dependencies', 'a', 'dependencies', 'b'], ['object']],
  [['dependencies', 'a', 'dependencies', 'b', 'version'], ['string']],
];

const CASES: Case[] = [
  { file: 'package-lock.json', syntax: 'JSON', doc: NPM_V3, fields: npmV3Fields },
  { file: 'npm-shrinkwrap.json', syntax: 'JSON', doc: NPM_V3, fields: npmV3Fields },
  { file: 'package-lock.json', syntax: 'JSON', doc: NPM_V1, fields: npmV1Fields },
  {
    file: 'packages.lock.json',
    syntax: 'JSON',
    doc: {
      version: 1,
      dependencies: {
        'net8.0': {
          A: { type: 'Direct', requested: '[1.0.0, )', resolved: '1.0.0', contentHash: 'AAAA', dependencies: { B: '1.0.0' } },
          B: { type: 'Transitive', resolved: '1.0.0' },
        },
      },
    },
    fields: [
      [['version'], ['number', 'string']],
      [['dependencies'], ['object']],
      [['dependencies', 'net8.0'], ['object']],
      [['dependencies', 'net8.0', 'A'], ['object']],
      [['dependencies', 'net8.0', 'A', 'type'], ['string']],
      [['dependencies', 'net8.0', 'A', 'resolved'], ['string']],
      [['dependencies', 'net8.0', 'A', 'contentHash'], ['string']],
      [['dependencies', 'net8.0', 'A', 'dependencies'], ['object']],
    ],
  },
  {
    file: 'composer.lock',
    syntax: 'JSON',
    doc: {
      packages: [
        { name: 'a/b', version: 'v1.0.0', license: ['MIT'], dist: { shasum: 'abc' }, require: { 'c/d': '^1.0', php: '>=8' } },
        { name: 'c/d', version: '1.0.0', require: [] },
      ],
      'packages-dev': [{ name: 'e/f', version: '2.0.0' }],
    },
    fields: [
      [['packages'], ['array']],
      [['packages', 0], ['object']],
      [['packages', 0, 'name'], ['string']],
      [['packages', 0, 'version'], ['string']],
      [['packages', 0, 'license'], ['array']],
      [['packages', 0, 'license', 0], ['string']],
      [['packages', 0, 'dist'], ['object', 'null']],
      [['packages', 0, 'dist', 'shasum'], ['string', 'null']],
      [['packages', 0, 'require'], ['object']],
      [['packages-dev'], ['array', 'null']],
      [['packages-dev', 0, 'name'], ['string']],
    ],
  },
  {
    file: 'poetry.lock',
    syntax: 'TOML',
    doc: {
      package: [
        { name: 'a', version: '1.0', groups: ['main'], files: [{ file: 'a-1.0.whl', hash: 'sha256:00' }], dependencies: { b: '>=1.0' } },
        { name: 'b', version: '1.0', category: 'dev' },
      ],
    },
    fields: [
      [['package'], ['array']],
      [['package', 0], ['object']],
      [['package', 0, 'name'], ['string']],
      [['package', 0, 'version'], ['string']],
      [['package', 0, 'groups'], ['array']],
      [['package', 0, 'groups', 0], ['string']],
      [['package', 1, 'category'], ['string']],
      [['package', 0, 'files'], ['array']],
      [['package', 0, 'files', 0], ['object']],
      [['package', 0, 'files', 0, 'hash'], ['string']],
      [['package', 0, 'dependencies'], ['object']],
    ],
  },
  {
    file: 'Cargo.lock',
    syntax: 'TOML',
    doc: {
      version: 3,
      package: [
        { name: 'app', version: '0.1.0', dependencies: ['a'] },
        { name: 'a', version: '1.0.0', source: 'registry+https://github.com/rust-lang/crates.io-index', checksum: 'ab', dependencies: ['b 1.0.0'] },
        { name: 'b', version: '1.0.0', source: 'registry+https://github.com/rust-lang/crates.io-index' },
      ],
    },
    fields: [
      [['version'], ['number']],
      [['package'], ['array']],
      [['package', 1], ['object']],
      [['package', 1, 'name'], ['string']],
      [['package', 1, 'version'], ['string']],
      [['package', 1, 'source'], ['string']],
      [['package', 1, 'checksum'], ['string']],
      [['package', 1, 'dependencies'], ['array']],
      [['package', 1, 'dependencies', 0], ['string']],
    ],
  },
  {
    file: 'Pipfile.lock',
    syntax: 'JSON',
    doc: { _meta: { hash: { sha256: '00' } }, default: { a: { version: '==1.0', hashes: ['sha256:00'] } }, develop: { b: { version: '==2.0' } } },
    fields: [
      [['default'], ['object']],
      [['develop'], ['object']],
      [['default', 'a'], ['object']],
      [['default', 'a', 'version'], ['string']],
      [['default', 'a', 'hashes'], ['array']],
      [['default', 'a', 'hashes', 0], ['string']],
    ],
  },
  {
    file: 'pnpm-lock.yaml',
    syntax: 'YAML',
    doc: {
      lockfileVersion: '9.0',
      importers: { '.': { dependencies: { a: { specifier: '^1.0.0', version: '1.0.0' } }, devDependencies: {}, optionalDependencies: {} } },
      packages: { 'a@1.0.0': { resolution: { integrity: 'sha512-AAAA' }, dev: false }, 'b@1.0.0': { resolution: { integrity: 'sha512-AAAA' } } },
      snapshots: { 'a@1.0.0': { dependencies: { b: '1.0.0' }, optionalDependencies: {} }, 'b@1.0.0': {} },
    },
    fields: [
      [['lockfileVersion'], ['string', 'number']],
      [['importers'], ['object']],
      [['importers', '.'], ['object', 'null']],
      [['importers', '.', 'dependencies'], ['object']],
      [['importers', '.', 'devDependencies'], ['object']],
      [['importers', '.', 'optionalDependencies'], ['object']],
      [['importers', '.', 'dependencies', 'a'], ['object', 'string']],
      [['importers', '.', 'dependencies', 'a', 'version'], ['string']],
      [['packages'], ['object']],
      [['packages', 'a@1.0.0'], ['object', 'null']],
      [['packages', 'a@1.0.0', 'resolution'], ['object']],
      [['packages', 'a@1.0.0', 'resolution', 'integrity'], ['string']],
      [['packages', 'a@1.0.0', 'dev'], ['boolean']],
      [['snapshots'], ['object']],
      [['snapshots', 'a@1.0.0'], ['object', 'null']],
      [['snapshots', 'a@1.0.0', 'dependencies'], ['object']],
      [['snapshots', 'a@1.0.0', 'optionalDependencies'], ['object']],
      [['snapshots', 'a@1.0.0', 'dependencies', 'b'], ['string', 'object']],
    ],
  },
  {
    file: 'yarn.lock',
    syntax: 'YAML',
    doc: {
      __metadata: { version: 8, cacheKey: '10c0' },
      'a@npm:^1.0.0': { version: '1.0.0', resolution: 'a@npm:1.0.0', checksum: '10c0/abc', dependencies: { b: 'npm:^1.0.0' } },
      'b@npm:^1.0.0': { version: '1.0.0', resolution: 'b@npm:1.0.0' },
      'app@workspace:.': { version: '0.0.0-use.local', resolution: 'app@workspace:.', dependencies: { a: 'npm:^1.0.0' } },
    },
    fields: [
      [['a@npm:^1.0.0'], ['object']],
      [['a@npm:^1.0.0', 'version'], ['string', 'number']],
      [['a@npm:^1.0.0', 'resolution'], ['string']],
      [['a@npm:^1.0.0', 'checksum'], ['string']],
      [['a@npm:^1.0.0', 'dependencies'], ['object']],
      [['a@npm:^1.0.0', 'dependencies', 'b'], ['string', 'number']],
    ],
  },
];

function write(syntax: Case['syntax'], doc: unknown): string {
  if (syntax === 'JSON') return JSON.stringify(doc);
  if (syntax === 'TOML') return toToml(doc);
  return toYaml(doc);
}

function withValue(doc: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function errorOf(read: () => unknown): unknown {
  try {
    read();
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('lockfile fields of the wrong type', () => {
  for (const c of CASES) {
    it(`${c.file} (${c.fields.length} fields): reads as written, and each field of another type is an SbomError naming it`, () => {
      expect(readLockfile(c.file, write(c.syntax, c.doc)).components.length).toBeGreaterThan(0);
      const misses: string[] = [];
      for (const [path, kinds] of c.fields) {
        for (const [kind, value] of Object.entries(WRONG) as Array<[Kind, unknown]>) {
          if (kinds.includes(kind) || (kind === 'null' && c.syntax === 'TOML')) continue;
          const err = errorOf(() => readLockfile(c.file, write(c.syntax, withValue(c.doc, path, value))));
          const last = String(path.at(-1));
          const named = err instanceof Error && err.message.startsWith(c.file) && err.message.includes(last);
          // lockfileVersion's own check answers for a falsy one ("has no lockfileVersion").
          if (!(err instanceof SbomError) || !named) misses.push(`${path.join('.')} = ${JSON.stringify(value)}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'read without complaint'}`);
        }
      }
      expect(misses).toEqual([]);
    });
  }

  it('says where and what, as a person reads it', () => {
    const doc = withValue(NPM_V3, ['packages', 'node_modules/a', 'version'], { major: 1 });
    expect(() => readLockfile('package-lock.json', JSON.stringify(doc))).toThrow(
      'package-lock.json: packages["node_modules/a"].version must be a string, not an object',
    );
    expect(() => readLockfile('poetry.lock', '[[package]]\nname = 1\nversion = "1.0"\n')).toThrow('poetry.lock: package[0].name must be a string, not the number 1');
  });
});

/** Every reader, by one of its file names. */
const READER_NAMES = ECOSYSTEMS.flatMap((e) => e.lockfiles ?? []).map((r) => r.fileNames[0]);
const FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const HOSTILE = [
  '', ' ', 'null', '[]', '1', '"x"', '{}', 'true', '{"packages": 1}', '{"dependencies": {"a": null}}', '{"default": []}',
  '[[package]]\nname = 1', 'package = 1', 'a: [', '__metadata:\n  version: 6\n"a@npm:1":\n', 'lockfileVersion: 9\npackages: 1',
  '\u0000', '::::', 'require / v1', 'require (\n/ v1\n)', 'x y z', '<project/>', '<project><dependencies>x</dependencies></project>',
  '<project><dependencies><dependency>x</dependency></dependencies></project>', 'GEM\n  specs:\n    (1.0)\n', 'a:b:c=', '-e .', '@@@==1',
  '<<<', '<project>', '<project><version><a/></version><dependencies><dependency><groupId>g</groupId><artifactId><x/></artifactId></dependency></dependencies></project>',
  '<project><properties><a><b/></a></properties><dependencyManagement>1</dependencyManagement></project>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Maven's property syntax; a property that names itself.
  '<project><parent>1</parent><dependencies><dependency><groupId>${a}</groupId><artifactId>${a}</artifactId><version>${a}</version></dependency></dependencies><properties><a>${a}</a></properties></project>',
  'GEM\n  specs:\n    a (-x)\n', 'require @ v1\nrequire a/ v1\nrequire /a v1\n', 'a v1 h1:!!!\n', '/ v1 h1:x\n', 'g::1=x', '@/x==1',
  '"@"@1:\n  version ""\n', 'lockfileVersion: 9\npackages:\n  "@": {}\n  "/": {}\n  "@/@1": {}\n', '__metadata:\n  version: 6\n"@@npm:1":\n  version: 1\n',
];

describe('every reader, fed anything', () => {
  it('gives an SBOM or an SbomError for every other reader’s files and hostile text', () => {
    const inputs = [...walk(FIXTURES).filter((f) => !f.endsWith('.md')).map((f) => readFileSync(f, 'utf8')), ...HOSTILE];
    const others: string[] = [];
    for (const name of READER_NAMES) {
      for (const [i, text] of inputs.entries()) {
        const err = errorOf(() => readLockfile(name, text));
        if (err !== undefined && !(err instanceof SbomError)) others.push(`${name} ← input ${i}: ${(err as Error).name}: ${(err as Error).message}`);
      }
    }
    expect(others).toEqual([]);
  });

  it('poetry.lock content named Cargo.lock is an SbomError (it was a TypeError)', () => {
    // As Poetry writes it: each package's dependencies are a table, where Cargo.lock has a list.
    const poetry = [
      '[[package]]',
      'name = "requests"',
      'version = "2.31.0"',
      'groups = ["main"]',
      'files = [{file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"}]',
      '',
      '[package.dependencies]',
      'urllib3 = ">=1.21.1,<3"',
      '',
    ].join('\n');
    expect(readLockfile('poetry.lock', poetry).components).toHaveLength(1);
    expect(() => readLockfile('Cargo.lock', poetry)).toThrow(SbomError);
    expect(() => readLockfile('Cargo.lock', poetry)).toThrow(/^Cargo\.lock: package\[0\]\.dependencies must be an array, not a table$/);
  });
});
