/**
 * NUL characters (U+0000) in input. PostgreSQL's text cannot hold them (`invalid byte sequence …
 * 0x00`), SQLite's can: so that both databases behave the same, Tollgate refuses them in paths,
 * query strings, request bodies and the SBOMs it reads, before anything is stored.
 */
export const NUL = '\u0000';

/**
 * Where in a parsed value (objects, arrays, Maps, strings; keys included) a string holds a NUL:
 * a path such as `constraints[0].name`, `(root)` for a string given alone, or undefined when
 * there is none. Buffers and other binary data are not looked into.
 */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || '(root)' : undefined;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = nulPath(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  const entries = value instanceof Map ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    const at = path ? `${path}.${printable(String(key))}` : printable(String(key));
    if (typeof key === 'string' && key.includes(NUL)) return at;
    const hit = nulPath(item, at);
    if (hit) return hit;
  }
  return undefined;
}

/** A key as a message can show it: NUL written as \u0000, at most 80 characters. */
function printable(key: string): string {
  const shown = key.replaceAll(NUL, '\\u0000');
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}
