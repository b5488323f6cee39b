import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';
import { NameMap, shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/** Platform requirements (php, extensions, composer itself) are not packages. */
const isPlatform = (name: string) => name === 'php' || name.startsWith('ext-') || name.startsWith('lib-') || name === 'composer-plugin-api' || name === 'composer-runtime-api' || !name.includes('/');

/** PHP writes an empty map as `[]`. */
const PhpMap = Type.Union([NameMap, Type.Array(Type.Unknown(), { maxItems: 0 })]);
/** What is read of a package. */
const Package = Type.Object({
  name: Type.String(),
  version: Type.String(),
  license: Type.Optional(Type.Array(Type.String())),
  dist: Type.Optional(Type.Union([Type.Object({ shasum: Type.Optional(Type.Union([Type.String(), Type.Null()])) }), Type.Null()])),
  require: Type.Optional(PhpMap),
});
const checkDocument = shapeCheck(
  'composer.lock',
  'JSON',
  Type.Object({ packages: Type.Array(Package), 'packages-dev': Type.Optional(Type.Union([Type.Array(Package), Type.Null()])) }),
);

/** composer.lock: `packages` and `packages-dev` with their `require` maps and licenses. */
function readComposerLock(text: string): Sbom {
  let doc: Raw;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SbomError(`composer.lock is not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.packages)) throw new SbomError('composer.lock has no "packages" list');
  checkDocument(doc);
  const graph = new LockfileGraph('composer.lock', 'composer.lock');
  const refs = new Map<string, string>();
  const all: Raw[] = [];
  for (const [list, scope] of [[doc.packages, 'required'], [doc['packages-dev'] ?? [], 'optional']] as const) {
    for (const p of list as Raw[]) {
      const [namespace, name] = String(p.name).split('/');
      const license = Array.isArray(p.license) && p.license.length ? p.license.join(' OR ') : undefined;
      const sha1: Record<string, string> = typeof p.dist?.shasum === 'string' && p.dist.shasum ? { 'SHA-1': p.dist.shasum } : {};
      refs.set(String(p.name).toLowerCase(), graph.add({ type: 'composer', namespace, name, version: String(p.version).replace(/^v/, ''), license, hashes: sha1, scope }));
      all.push(p);
    }
  }
  for (const p of all) {
    for (const dep of Object.keys(p.require ?? {})) {
      if (isPlatform(dep)) continue;
      const to = refs.get(dep.toLowerCase());
      if (to) graph.depend(refs.get(String(p.name).toLowerCase())!, to);
    }
  }
  return graph.build();
}

export const composerLockReader: LockfileReader = { fileNames: ['composer.lock'], read: readComposerLock };
