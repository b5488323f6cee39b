import { parse as parseYaml } from 'yaml';
import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { LockfileGraph, integrityHashes, npmName } from './builder.js';
import type { LockfileReader } from './reader.js';
import { shapeCheck } from './shape.js';
import { Type } from 'typebox';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

interface Entry {
  specs: string[];
  /** Berry's entry for the project itself: its dependencies are the direct ones. */
  workspace?: boolean;
  version?: string;
  integrity?: string;
  checksum?: string;
  dependencies: Record<string, string>;
}

/** The package name of a spec like `@babel/core@^7.0.0` or `lodash@npm:^4.17.0`. */
function specName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1');
}

/** yarn.lock v1 (classic): indentation-based blocks keyed by comma-separated specs. */
function parseClassic(text: string): Entry[] {
  const entries: Entry[] = [];
  let current: Entry | undefined;
  let inDeps = false;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (indent === 0) {
      if (!line.endsWith(':')) throw new SbomError(`yarn.lock line ${i + 1}: expected "spec, spec:"`);
      current = { specs: line.slice(0, -1).split(/,\s*/).map(unquote), dependencies: {} };
      entries.push(current);
      inDeps = false;
    } else if (!current) {
      throw new SbomError(`yarn.lock line ${i + 1}: indented line outside an entry`);
    } else if (indent === 2) {
      inDeps = line === 'dependencies:' || line === 'optionalDependencies:';
      const m = /^(\S+)\s+"?([^"]*)"?$/.exec(line);
      if (m && m[1] === 'version') current.version = m[2];
      if (m && m[1] === 'integrity') current.integrity = m[2];
    } else if (indent >= 4 && inDeps) {
      const m = /^("?[^"\s]+"?)\s+"?([^"]*)"?$/.exec(line);
      if (m) current.dependencies[unquote(m[1])] = m[2];
    }
  }
  return entries;
}

/** What is read of a berry entry (`__metadata` fits it too). YAML reads an unquoted `2` as a number. */
const TextOrNumber = Type.Union([Type.String(), Type.Number()]);
const checkBerry = shapeCheck(
  'yarn.lock',
  'YAML',
  Type.Record(
    Type.String(),
    Type.Object({
      resolution: Type.Optional(Type.String()),
      version: Type.Optional(TextOrNumber),
      checksum: Type.Optional(Type.String()),
      dependencies: Type.Optional(Type.Record(Type.String(), TextOrNumber)),
    }),
  ),
);

/** yarn.lock v2+ (berry): YAML with `__metadata`; workspace entries are the project itself. */
function parseBerry(text: string): Entry[] {
  let doc: Record<string, Raw>;
  try {
    doc = parseYaml(text, { maxAliasCount: 1000 }) as Record<string, Raw>;
  } catch (err) {
    throw new SbomError(`yarn.lock is not valid YAML: ${(err as Error).message}`);
  }
  checkBerry(doc);
  return Object.entries(doc)
    .filter(([key]) => key !== '__metadata')
    .map(([key, v]) => ({
      specs: key.split(/,\s*/),
      workspace: String(v?.resolution ?? '').includes('@workspace:'),
      version: v.version === '0.0.0-use.local' ? undefined : String(v.version ?? ''),
      checksum: v.checksum,
      dependencies: Object.fromEntries(Object.entries(v.dependencies ?? {}).map(([n, r]) => [n, String(r)])),
    }));
}

function readYarnLock(text: string): Sbom {
  const berry = /^__metadata:/m.test(text);
  const entries = berry ? parseBerry(text) : parseClassic(text);
  const graph = new LockfileGraph('yarn.lock', berry ? 'yarn.lock (berry)' : 'yarn.lock (classic)');
  const bySpec = new Map<string, string>();
  const refs = entries.map((e) => {
    if (e.workspace) return undefined;
    const ref = graph.add({ type: 'npm', ...npmName(specName(e.specs[0])), version: e.version || undefined, hashes: integrityHashes(e.integrity) });
    for (const spec of e.specs) bySpec.set(spec, ref);
    return ref;
  });
  entries.forEach((e, i) => {
    for (const [name, range] of Object.entries(e.dependencies)) {
      const to = bySpec.get(`${name}@${range}`) ?? bySpec.get(`${name}@npm:${range}`);
      if (!to) continue;
      const from = refs[i];
      if (from) graph.depend(from, to);
      else graph.direct(to);
    }
  });
  return graph.build();
}

export const yarnLockReader: LockfileReader = { fileNames: ['yarn.lock'], read: readYarnLock };
