import type { Sbom } from './model.js';

export interface DependencyInfo {
  /** Depended on by the subject itself (or a root when the SBOM names no subject). */
  direct: boolean;
  /** 1 for direct dependencies, 2 for theirs, …; undefined when unreachable from the roots. */
  depth?: number;
  /** Up to a few shortest paths of refs from a direct dependency down to this component. */
  paths: string[][];
}

const MAX_PATHS = 3;

/**
 * Direct vs transitive and the paths to each component, by breadth-first search from the
 * subject's direct dependencies. Cycles are harmless: each component is expanded once.
 * Without any dependency data, every component counts as direct (nothing says otherwise).
 */
export function analyzeDependencies(sbom: Sbom): Map<string, DependencyInfo> {
  const info = new Map<string, DependencyInfo>();
  const refs = new Set(sbom.components.map((c) => c.ref));
  for (const ref of refs) info.set(ref, { direct: false, paths: [] });

  const edges = sbom.dependencies;
  let roots: string[];
  if (sbom.subject && edges.has(sbom.subject.ref)) roots = edges.get(sbom.subject.ref)!.filter((r) => refs.has(r));
  else {
    const dependedOn = new Set<string>();
    for (const [from, list] of edges) if (from !== sbom.subject?.ref) for (const to of list) dependedOn.add(to);
    roots = [...refs].filter((r) => !dependedOn.has(r));
  }

  const queue: string[] = [];
  for (const root of new Set(roots)) {
    const entry = info.get(root)!;
    entry.direct = true;
    entry.depth = 1;
    entry.paths.push([root]);
    queue.push(root);
  }
  for (let i = 0; i < queue.length; i++) {
    const ref = queue[i];
    const here = info.get(ref)!;
    for (const child of edges.get(ref) ?? []) {
      const next = info.get(child);
      if (!next || child === ref) continue;
      if (next.depth === undefined) {
        next.depth = here.depth! + 1;
        queue.push(child);
      }
      if (next.depth === here.depth! + 1) {
        for (const path of here.paths) {
          if (next.paths.length >= MAX_PATHS) break;
          next.paths.push([...path, child]);
        }
      }
    }
  }
  return info;
}
