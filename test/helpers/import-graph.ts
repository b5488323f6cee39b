import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The import graph of src/, read from the import statements of its files: each file (relative to
 * src/, `ecosystems/index.ts`) → the files of src/ it imports. Type-only imports count: they tie
 * modules together as much for the reader. Dynamic `import('…')` counts too.
 */

export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

// Top-level import and export statements (one or many lines, `import type` included), bare
// imports, and import('…') (dynamic, or in a type position).
const FROM = /^(?:import|export)\s[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const BARE = /^import\s+['"]([^'"]+)['"]/gm;
const CALL = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative module specifiers a source text imports. */
export function importedSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const pattern of [FROM, BARE, CALL]) for (const m of text.matchAll(pattern)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = importedSpecifiers(readFileSync(file, 'utf8')).map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

/** Every file reachable from `start` by imports, `start` excluded unless a path leads back to it. */
export function reachableFrom(graph: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(graph.get(start) ?? [])];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...(graph.get(file) ?? []));
  }
  return seen;
}

/** One import path from `from` to `to` (`a.ts → b.ts → c.ts`), or undefined when there is none. */
export function importPath(graph: ReadonlyMap<string, readonly string[]>, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [from];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, file);
      if (next === to) {
        const path = [to];
        for (let at = file; at !== from; at = previous.get(at)!) path.unshift(at);
        return [from, ...path];
      }
      queue.push(next);
    }
  }
  return undefined;
}
