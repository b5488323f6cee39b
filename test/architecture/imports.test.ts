import { describe, expect, it } from 'vitest';
import { importGraph, importedSpecifiers } from '../helpers/import-graph.js';

/**
 * The layering rule of docs/ARCHITECTURE.md, checked on the import graph of src/: no import cycle,
 * and the lower layers import nothing from services/ or api/. Type-only imports count: they tie
 * the modules together as much for the next reader.
 */

/** The layers below services/: they may use core/ and each other, never services/ or api/. */
const LOWER_LAYERS = ['ecosystems', 'intel', 'sbom', 'policy', 'store', 'evaluation'];
const UPPER_LAYERS = ['services', 'api'];

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
    expect(graph.get('services/evaluation/evaluations.ts')).toContain('evaluation/pipeline.ts');
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
