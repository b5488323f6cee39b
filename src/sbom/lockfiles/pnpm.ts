import { parse as parseYaml } from 'yaml';
import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph, integrityHashes, npmName } from './builder.js';
import type { LockfileReader } from './reader.js';
import { shapeCheck } from './shape.js';
import { type TSchema, Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/**
 * A pnpm package key as name and version: `/name@1.0.0` (v6), `name@1.0.0` (v9), `/name/1.0.0`
 * (v5); peer-dependency suffixes `(peer@x)` / `_peer@x` are dropped.
 */
function pnpmKey(key: string): { name: string; version: string } | undefined {
  const k = key.replace(/^\//, '').replace(/\(.*$/, '').replace(/_.*$/, '');
  const at = k.lastIndexOf('@');
  if (at > 0) return { name: k.slice(0, at), version: k.slice(at + 1) };
  const slash = k.lastIndexOf('/');
  if (slash > 0) return { name: k.slice(0, slash), version: k.slice(slash + 1) };
  return undefined;
}

function depVersion(value: unknown): string | undefined {
  const v = typeof value === 'object' && value !== null ? (value as Raw).version : value;
  if (typeof v !== 'string' || v.startsWith('link:') || v.startsWith('file:')) return undefined;
  return v.replace(/\(.*$/, '').replace(/_.*$/, '');
}

/** A dependency: its version (snapshots, v5) or `{ specifier, version }` (importers from v6). */
const DependencyMap = Type.Record(Type.String(), Type.Union([Type.String(), Type.Object({ version: Type.Optional(Type.String()) })]));
/** The dependency fields read of a snapshot, an importer or v5's top level. */
const Dependencies = {
  dependencies: Type.Optional(DependencyMap),
  devDependencies: Type.Optional(DependencyMap),
  optionalDependencies: Type.Optional(DependencyMap),
};
/** An entry may be empty (`name@1.0.0: {}`, or nothing after the colon). */
const orEmpty = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const checkDocument = shapeCheck(
  'pnpm-lock.yaml',
  'YAML',
  Type.Object({
    lockfileVersion: Type.Union([Type.String(), Type.Number()]),
    packages: Type.Optional(
      Type.Record(
        Type.String(),
        orEmpty(Type.Object({ resolution: Type.Optional(Type.Object({ integrity: Type.Optional(Type.String()) })), dev: Type.Optional(Type.Boolean()) })),
      ),
    ),
    snapshots: Type.Optional(Type.Record(Type.String(), orEmpty(Type.Object(Dependencies)))),
    importers: Type.Optional(Type.Record(Type.String(), orEmpty(Type.Object(Dependencies)))),
    ...Dependencies,
  }),
);

/** pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. */
function readPnpmLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = parseYaml(text, { maxAliasCount: 1000 }) as Raw;
  } catch (err) {
    throw new SbomError(`pnpm-lock.yaml is not valid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !doc.lockfileVersion) throw new SbomError('pnpm-lock.yaml has no lockfileVersion');
  checkDocument(doc);
  const graph = new LockfileGraph('pnpm-lock.yaml', `pnpm-lock.yaml v${doc.lockfileVersion}`);
  const packages: Raw = doc.packages ?? {};
  const snapshots: Raw = doc.snapshots ?? packages;
  const refOf = (name: string, version: string) => graph.add({ type: 'npm', ...npmName(name), version });

  for (const [key, p] of Object.entries(packages)) {
    const id = pnpmKey(key);
    if (!id) continue;
    graph.add({ type: 'npm', ...npmName(id.name), version: id.version, hashes: integrityHashes(p?.resolution?.integrity), scope: p?.dev ? 'optional' : 'required' });
  }
  for (const [key, s] of Object.entries(snapshots)) {
    const id = pnpmKey(key);
    if (!id) continue;
    const from = refOf(id.name, id.version);
    for (const field of ['dependencies', 'optionalDependencies']) {
      for (const [name, value] of Object.entries((s as Raw)?.[field] ?? {})) {
        const version = depVersion(value);
        if (version) graph.depend(from, refOf(name, version));
      }
    }
  }
  // Direct dependencies: every importer's (workspace package's) declared dependencies, or v5's top level.
  const importers: Raw = doc.importers ?? { '.': doc };
  for (const importer of Object.values(importers)) {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, value] of Object.entries((importer as Raw)?.[field] ?? {})) {
        const version = depVersion(value);
        if (version) graph.direct(refOf(name, version));
      }
    }
  }
  return graph.build();
}

export const pnpmLockReader: LockfileReader = { fileNames: ['pnpm-lock.yaml'], read: readPnpmLock };
