import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule of docs/ARCHITECTURE.md, checked on the import graph of src/: no import cycle,
 * and the lower layers import nothing from services/ or api/. Type-only imports count: they tie
 * the modules together as much for the next reader.
 */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** The layers below services/: they may use core/ and each other, never services/ or api/. */
const LOWER_LAYERS = ['ecosystems', 'intel', 'sbom', 'policy', 'store', 'evaluation'];
const UPPER_LAYERS = ['services', 'api'];

// Top-level import and export statements (one or many lines, `import type` included), bare
// imports, and import('…') (dynamic, or in a type position).
const FROM = /^(?:import|export)\s[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const BARE = /^import\s+['"]([^'"]+)['"]/gm;
const CALL = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative module specifiers a source text imports. */
function importedSpecifiers(text: string): string[] {
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

/** file (relative to src/, `evaluation/pipeline.ts`) → the files of src/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = importedSpecifiers(readFileSync(file, 'utf8')).map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle's strongly connected part (Tarjan), each shown as one cycle through it: `a.ts → b.ts → a.ts`. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const parts: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1 || graph.get(v)?.includes(v)) parts.push(part);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return parts.map((part) => cycleThrough(graph, new Set(part)).join(' → '));
}

/** A shortest cycle from the part's first file (in name order) back to it, staying inside the part. */
function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, part: ReadonlySet<string>): string[] {
  const start = [...part].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!part.has(w)) continue;
      if (w === start) {
        const path: string[] = [];
        for (let at = v; at !== start; at = previous.get(at)!) path.unshift(at);
        return [start, ...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const layerOf = (file: string) => file.split('/')[0];

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read from every kind of import statement', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = (await import(new URL('x', import.meta.url).href));",
      "let i: import('./i.js').I;",
      "import { readFileSync } from 'node:fs';",
      "  // a comment that says something comes from './not-an-import.js'",
      "const s = 'text with from \\'./nor-this.js\\' in it';",
    ].join('\n');
    expect(importedSpecifiers(text)).toEqual(['./a.js', '../b.js', './c.js', './e.js', './f.js', './g.js', './i.js']);
    // The real graph: the pipeline reads the report model, services read the pipeline.
    expect(graph.get('evaluation/pipeline.ts')).toContain('evaluation/report.ts');
    expect(graph.get('services/evaluations.ts')).toContain('evaluation/pipeline.ts');
  });

  it('finds a cycle where there is one, and names it', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(cyclic).sort()).toEqual(['a.ts → b.ts → c.ts → a.ts', 'e.ts → e.ts']);
    expect(importCycles(new Map([...cyclic].filter(([f]) => f !== 'c.ts' && f !== 'e.ts')))).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it(`keeps ${LOWER_LAYERS.join(', ')} free of imports from ${UPPER_LAYERS.join(' and ')}`, () => {
    const upward = [...graph]
      .filter(([file]) => LOWER_LAYERS.includes(layerOf(file)))
      .flatMap(([file, targets]) => targets.filter((t) => UPPER_LAYERS.includes(layerOf(t))).map((t) => `${file} → ${t}`));
    expect(upward).toEqual([]);
  });
});
