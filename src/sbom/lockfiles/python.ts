import { parse as parseToml } from 'smol-toml';
import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';
import { NameMap, shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/** PEP 503 normalized project name, as pypi purls carry it. */
function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function sha256(hashes: unknown): Record<string, string> {
  const first = (Array.isArray(hashes) ? hashes : []).map(String).find((h) => h.startsWith('sha256:'));
  return first ? { 'SHA-256': first.slice('sha256:'.length) } : {};
}

/**
 * requirements.txt: pinned requirements (`name==1.0`, `name[extra]===1.0 ; marker`, with
 * `--hash`) become versioned components; unpinned ones are kept without a version. Options,
 * includes (`-r`), URLs and editable installs are skipped.
 */
function readRequirements(text: string): Sbom {
  const graph = new LockfileGraph('requirements.txt', 'requirements.txt');
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.')) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:(===?|~=|>=|<=|!=|>|<)\s*([^\s;,]+))?/.exec(line);
    if (!m) throw new SbomError(`requirements.txt: cannot read "${line.slice(0, 80)}"`);
    const pinned = m[3] === '==' || m[3] === '===';
    const hashes = [...line.matchAll(/--hash[=\s]+(sha256:[0-9a-f]+)/g)].map((h) => h[1]);
    graph.direct(graph.add({ type: 'pypi', name: pypiName(m[1]), version: pinned ? m[4] : undefined, hashes: sha256(hashes) }));
  }
  return graph.build();
}

/** What is read of a poetry.lock [[package]]. */
const PoetryPackage = Type.Object({
  name: Type.String(),
  version: Type.Optional(Type.String()),
  groups: Type.Optional(Type.Array(Type.String())),
  category: Type.Optional(Type.String()),
  files: Type.Optional(Type.Array(Type.Object({ hash: Type.Optional(Type.String()) }))),
  dependencies: Type.Optional(NameMap),
});
const checkPoetry = shapeCheck('poetry.lock', 'TOML', Type.Object({ package: Type.Optional(Type.Array(PoetryPackage)) }));

/** What is read of a Pipfile.lock entry. */
const PipfileEntry = Type.Object({ version: Type.Optional(Type.String()), hashes: Type.Optional(Type.Array(Type.String())) });
const checkPipfile = shapeCheck(
  'Pipfile.lock',
  'JSON',
  Type.Object({ default: Type.Optional(Type.Record(Type.String(), PipfileEntry)), develop: Type.Optional(Type.Record(Type.String(), PipfileEntry)) }),
);

/** poetry.lock (1.x and 2.x): [[package]] with [package.dependencies]; dev packages are optional. */
function readPoetryLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = parseToml(text) as Raw;
  } catch (err) {
    throw new SbomError(`poetry.lock is not valid TOML: ${(err as Error).message}`);
  }
  checkPoetry(doc);
  const graph = new LockfileGraph('poetry.lock', 'poetry.lock');
  const packages = (doc.package ?? []) as Raw[];
  const refs = new Map<string, string>();
  for (const p of packages) {
    const groups: string[] = p.groups ?? (p.category ? [p.category] : ['main']);
    const dev = !groups.includes('main');
    refs.set(pypiName(p.name), graph.add({ type: 'pypi', name: pypiName(p.name), version: p.version, hashes: sha256((p.files ?? []).map((f: Raw) => f.hash)), scope: dev ? 'optional' : 'required' }));
  }
  for (const p of packages) {
    for (const dep of Object.keys(p.dependencies ?? {})) {
      const to = refs.get(pypiName(dep));
      if (to) graph.depend(refs.get(pypiName(p.name))!, to);
    }
  }
  return graph.build();
}

/** Pipfile.lock: flat `default` and `develop` sections, all of them direct as far as the file says. */
function readPipfileLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SbomError(`Pipfile.lock is not valid JSON: ${(err as Error).message}`);
  }
  checkPipfile(doc);
  if (!doc.default && !doc.develop) throw new SbomError('Pipfile.lock has neither a "default" nor a "develop" section');
  const graph = new LockfileGraph('Pipfile.lock', 'Pipfile.lock');
  for (const [section, scope] of [['default', 'required'], ['develop', 'optional']] as const) {
    for (const [name, p] of Object.entries((doc[section] ?? {}) as Record<string, Raw>)) {
      const version = typeof p.version === 'string' ? p.version.replace(/^===?/, '') : undefined;
      graph.direct(graph.add({ type: 'pypi', name: pypiName(name), version, hashes: sha256(p.hashes), scope }));
    }
  }
  return graph.build();
}

/**
 * Pip reads any file named on its command line; projects call theirs requirements.txt,
 * requirements-dev.txt, dev-requirements.txt, …: any `.txt` whose name says requirements is read.
 */
export const requirementsReader: LockfileReader = {
  fileNames: ['requirements.txt'],
  pattern: /(^|\/)[^/]*requirements[^/]*\.txt$/,
  read: readRequirements,
};

export const poetryLockReader: LockfileReader = { fileNames: ['poetry.lock'], read: readPoetryLock };

export const pipfileLockReader: LockfileReader = { fileNames: ['Pipfile.lock'], read: readPipfileLock };
