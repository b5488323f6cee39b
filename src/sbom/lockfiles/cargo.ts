import { parse as parseToml } from 'smol-toml';
import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';
import { shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/** What is read of a [[package]]. */
const Package = Type.Object({
  name: Type.String(),
  version: Type.String(),
  source: Type.Optional(Type.String()),
  checksum: Type.Optional(Type.String()),
  dependencies: Type.Optional(Type.Array(Type.String())),
});
const checkDocument = shapeCheck('Cargo.lock', 'TOML', Type.Object({ version: Type.Optional(Type.Integer()), package: Type.Optional(Type.Array(Package)) }));

/**
 * Cargo.lock (v1–v4). Packages without a `source` are the workspace's own crates: their
 * dependencies are the direct ones. Dependency entries are `name`, `name version` or
 * `name version (source)` when a name alone would be ambiguous.
 */
function readCargoLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = parseToml(text) as Raw;
  } catch (err) {
    throw new SbomError(`Cargo.lock is not valid TOML: ${(err as Error).message}`);
  }
  checkDocument(doc);
  const graph = new LockfileGraph('Cargo.lock', `Cargo.lock v${doc.version ?? 1}`);
  const packages = (doc.package ?? []) as Raw[];
  const byName = new Map<string, Raw[]>();
  for (const p of packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const local = new Set(packages.filter((p) => !p.source));
  const refOf = new Map<Raw, string>();
  for (const p of packages) {
    if (local.has(p)) continue;
    refOf.set(p, graph.add({ type: 'cargo', name: p.name, version: p.version, hashes: p.checksum ? { 'SHA-256': p.checksum } : {} }));
  }
  const find = (entry: string): Raw | undefined => {
    const [name, version] = entry.split(' ');
    const candidates = byName.get(name) ?? [];
    return version ? candidates.find((c) => c.version === version) : candidates[0];
  };
  for (const p of packages) {
    for (const entry of (p.dependencies ?? []) as string[]) {
      const dep = find(entry);
      const to = dep && refOf.get(dep);
      if (!to) continue;
      if (local.has(p)) graph.direct(to);
      else graph.depend(refOf.get(p)!, to);
    }
  }
  return graph.build();
}

export const cargoLockReader: LockfileReader = { fileNames: ['Cargo.lock'], read: readCargoLock };
