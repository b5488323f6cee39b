import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { SbomError } from '../errors.js';

/**
 * The shape of the fields a JSON, TOML or YAML lockfile reader reads, checked before it reads
 * them: a field of another type (a `version` that is an object, a `dependencies` table where a
 * list belongs) is an SbomError naming the file and the field, never a TypeError deep in the
 * reader. Schemas list only what the reader reads; other fields may be anything.
 */
/** The document as the schema types it; an SbomError at `base` + the field otherwise. */
export type ShapeCheck<T extends TSchema> = (doc: unknown, base?: string) => Static<T>;

/** What the file's syntax calls a map: an object (JSON), a table (TOML), a mapping (YAML). */
export type Syntax = 'JSON' | 'TOML' | 'YAML';
const MAP_WORD: Record<Syntax, string> = { JSON: 'an object', TOML: 'a table', YAML: 'a mapping' };

export function shapeCheck<T extends TSchema>(file: string, syntax: Syntax, schema: T): ShapeCheck<T> {
  let validator: ReturnType<typeof Compile<T>> | undefined;
  return (doc: unknown, base = '') => {
    // Compiled on first use: a server that never reads this kind of file does not pay for it.
    validator ??= Compile(schema);
    if (validator.Check(doc)) return doc as Static<T>;
    const errors = [...validator.Errors(doc)];
    // The deepest complaint says most (a union's members each complain about the field itself).
    const error = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a), errors[0]);
    const segments = error ? error.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')) : [];
    const missing = error?.keyword === 'required' ? ((error.params as { requiredProperties?: string[] }).requiredProperties ?? []) : [];
    const value = segments.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    const field = segments.reduce<{ path: string; node: unknown }>(
      (at, key) => ({ path: childPath(at.path, key, Array.isArray(at.node)), node: (at.node as Record<string, unknown> | undefined)?.[key] }),
      { path: base, node: doc },
    ).path;
    const map = MAP_WORD[syntax];
    if (missing.length) throw new SbomError(`${file}: ${field ? `${field} ` : ''}lacks "${missing.join('", "')}"`);
    const expected = expectedOf(errors.filter((e) => e.instancePath === error?.instancePath).map((e) => e.params), map);
    throw new SbomError(`${file}: ${field || 'the document'} must be ${expected}, not ${describe(value, map)}`);
  };
}

/** A field under `base` as a person reads it: `packages["node_modules/a"].version`, `package[3].name`. */
export function childPath(base: string, key: string | number, inList = typeof key === 'number'): string {
  if (inList) return `${base}[${key}]`;
  const name = String(key);
  if (/^[A-Za-z_$][\w$-]*$/.test(name)) return base ? `${base}.${name}` : name;
  return `${base}[${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)}]`;
}

function expectedOf(params: unknown[], map: string): string {
  const types = params.flatMap((p) => [(p as { type?: unknown } | undefined)?.type].flat());
  const names = [...new Set(types.filter((t): t is string => typeof t === 'string'))];
  if (names.length) return names.map((t) => (t === 'object' ? map : t === 'array' ? 'an array' : `a ${t}`)).join(' or ');
  return 'of another form';
}

function describe(value: unknown, map: string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return map;
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === undefined) return 'missing';
  return `the ${typeof value} ${String(value)}`;
}

/** A map of names to version ranges or other text (`dependencies`, `require`). */
export const TextMap = Type.Record(Type.String(), Type.String());

/** A map whose keys alone are read (values may be anything). */
export const NameMap = Type.Record(Type.String(), Type.Unknown());
