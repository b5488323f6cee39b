import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';
import { NameMap, shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/** What is read of a package entry, per target framework. */
const Entry = Type.Object({
  type: Type.Optional(Type.String()),
  resolved: Type.Optional(Type.String()),
  contentHash: Type.Optional(Type.String()),
  dependencies: Type.Optional(NameMap),
});
const checkDocument = shapeCheck(
  'packages.lock.json',
  'JSON',
  Type.Object({
    version: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    dependencies: Type.Record(Type.String(), Type.Record(Type.String(), Entry)),
  }),
);

/** NuGet packages.lock.json: per target framework, Direct / Transitive / CentralTransitive packages. */
function readNugetLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SbomError(`packages.lock.json is not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !doc.dependencies || typeof doc.dependencies !== 'object') throw new SbomError('packages.lock.json has no "dependencies"');
  checkDocument(doc);
  const graph = new LockfileGraph('packages.lock.json', `packages.lock.json v${doc.version ?? 1}`);
  for (const packages of Object.values(doc.dependencies as Record<string, Record<string, Raw>>)) {
    const refs = new Map<string, string>();
    for (const [name, p] of Object.entries(packages)) {
      if (p.type === 'Project') continue;
      const hashes: Record<string, string> = typeof p.contentHash === 'string' ? { 'SHA-512': Buffer.from(p.contentHash, 'base64').toString('hex') } : {};
      const ref = graph.add({ type: 'nuget', name, version: p.resolved, hashes });
      refs.set(name.toLowerCase(), ref);
      if (p.type === 'Direct') graph.direct(ref);
    }
    for (const [name, p] of Object.entries(packages)) {
      const from = refs.get(name.toLowerCase());
      for (const dep of Object.keys(p.dependencies ?? {})) {
        const to = refs.get(dep.toLowerCase());
        if (from && to) graph.depend(from, to);
      }
    }
  }
  return graph.build();
}

export const nugetLockReader: LockfileReader = { fileNames: ['packages.lock.json'], read: readNugetLock };
