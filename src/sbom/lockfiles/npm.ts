import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph, integrityHashes, npmName } from './builder.js';
import type { LockfileReader } from './reader.js';
import { NameMap, childPath, shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

const DEP_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/** What is read of a v2/v3 `packages` entry (the root's `""` entry too). */
const PackageEntry = Type.Object({
  name: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  integrity: Type.Optional(Type.String()),
  link: Type.Optional(Type.Boolean()),
  dev: Type.Optional(Type.Boolean()),
  devOptional: Type.Optional(Type.Boolean()),
  dependencies: Type.Optional(NameMap),
  optionalDependencies: Type.Optional(NameMap),
  peerDependencies: Type.Optional(NameMap),
  devDependencies: Type.Optional(NameMap),
});

/** What is read of a v1 `dependencies` entry; its own `dependencies` are checked level by level. */
const V1Entry = Type.Object({
  version: Type.Optional(Type.String()),
  integrity: Type.Optional(Type.String()),
  dev: Type.Optional(Type.Boolean()),
  requires: Type.Optional(NameMap),
  dependencies: Type.Optional(NameMap),
});

const checkDocument = shapeCheck(
  'package-lock.json',
  'JSON',
  Type.Object({ packages: Type.Optional(Type.Record(Type.String(), PackageEntry)), dependencies: Type.Optional(NameMap) }),
);
const checkV1Level = shapeCheck('package-lock.json', 'JSON', Type.Record(Type.String(), V1Entry));

/** package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 and 3. */
function readPackageLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SbomError(`package-lock.json is not valid JSON: ${(err as Error).message}`);
  }
  checkDocument(doc);
  const graph = new LockfileGraph('package-lock.json', 'package-lock.json');
  if (doc.packages && typeof doc.packages === 'object') readPackagesMap(doc.packages, graph);
  else if (doc.dependencies && typeof doc.dependencies === 'object') readV1(doc.dependencies, graph, [], 'dependencies');
  else throw new SbomError('package-lock.json has neither "packages" (v2/v3) nor "dependencies" (v1)');
  return graph.build();
}

/** v2/v3: a flat map keyed by install path (`node_modules/a/node_modules/b`). */
function readPackagesMap(packages: Record<string, Raw>, graph: LockfileGraph): void {
  const refs = new Map<string, string>();
  for (const [path, p] of Object.entries(packages)) {
    if (path === '' || p.link || !path.includes('node_modules/')) continue;
    const full = p.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    refs.set(path, graph.add({
      type: 'npm',
      ...npmName(full),
      version: p.version,
      hashes: integrityHashes(p.integrity),
      license: typeof p.license === 'string' ? p.license : undefined,
      scope: p.dev || p.devOptional ? 'optional' : 'required',
    }));
  }
  // Node's resolution: look in my node_modules, then each parent's, up to the top.
  const resolve = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const hit = refs.get(`${base ? `${base}/` : ''}node_modules/${name}`);
      if (hit) return hit;
      if (!base) return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  const root = packages[''] ?? {};
  for (const key of [...DEP_KEYS, 'devDependencies']) {
    for (const name of Object.keys(root[key] ?? {})) {
      const ref = resolve('', name);
      if (ref) graph.direct(ref);
    }
  }
  for (const [path, p] of Object.entries(packages)) {
    const from = refs.get(path);
    if (!from) continue;
    for (const key of DEP_KEYS) {
      for (const name of Object.keys(p[key] ?? {})) {
        const to = resolve(path, name);
        if (to) graph.depend(from, to);
      }
    }
  }
}

/**
 * v1: a nested tree; `requires` names dependencies resolved up the tree. v1 does not record what
 * the root declared, so the top-level entries that nothing requires are taken as direct.
 */
function readV1(deps: Record<string, Raw>, graph: LockfileGraph, scopes: Array<Map<string, string>>, path: string): void {
  checkV1Level(deps, path);
  const level = new Map<string, string>();
  for (const [name, d] of Object.entries(deps)) {
    const version = typeof d.version === 'string' && !/^(file|link|git|github):/.test(d.version) ? d.version : undefined;
    level.set(name, graph.add({ type: 'npm', ...npmName(name), version, hashes: integrityHashes(d.integrity), scope: d.dev ? 'optional' : 'required' }));
  }
  const chain = [level, ...scopes];
  for (const [name, d] of Object.entries(deps)) {
    const ref = level.get(name)!;
    if (d.dependencies) readV1(d.dependencies, graph, chain, childPath(childPath(path, name), 'dependencies'));
    const inner = d.dependencies ? new Map(Object.keys(d.dependencies).map((n) => [n, ''])) : undefined;
    for (const req of Object.keys(d.requires ?? {})) {
      // A requirement resolves in this package's own nested dependencies first, then up the tree.
      const nested = inner?.has(req) ? graph.add({ type: 'npm', ...npmName(req), version: d.dependencies[req].version }) : undefined;
      const to = nested ?? chain.map((s) => s.get(req)).find(Boolean);
      if (to) graph.depend(ref, to);
    }
  }
}

export const packageLockReader: LockfileReader = { fileNames: ['package-lock.json', 'npm-shrinkwrap.json'], read: readPackageLock };
