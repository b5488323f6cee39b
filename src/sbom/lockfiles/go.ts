import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';

function golang(module: string, version: string) {
  const slash = module.lastIndexOf('/');
  return slash < 0 ? { type: 'golang', name: module, version } : { type: 'golang', namespace: module.slice(0, slash), name: module.slice(slash + 1), version };
}

/** go.mod: `require` lines; those marked `// indirect` are transitive. Replacements are applied. */
function readGoMod(text: string): Sbom {
  const graph = new LockfileGraph('go.mod', 'go.mod');
  const replace = new Map<string, [string, string]>();
  const requires: Array<[string, string, boolean]> = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const indirect = /\/\/\s*indirect/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (line === ')') {
      block = undefined;
      continue;
    }
    const open = /^(require|replace|exclude|retract)\s*\($/.exec(line);
    if (open) {
      block = open[1];
      continue;
    }
    const [verb, rest] = block ? [block, line] : [line.split(/\s+/)[0], line.slice(line.indexOf(' ') + 1).trim()];
    if (verb === 'require') {
      const [module, version] = rest.split(/\s+/);
      if (module && version) requires.push([module, version, indirect]);
    } else if (verb === 'replace') {
      const m = /^(\S+)(?:\s+\S+)?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(rest);
      if (m?.[3]) replace.set(m[1], [m[2], m[3]]);
    }
  }
  for (const [module, version, indirect] of requires) {
    const [m, v] = replace.get(module) ?? [module, version];
    const ref = graph.add(golang(m, v));
    if (!indirect) graph.direct(ref);
  }
  return graph.build();
}

/** go.sum: every module version with a content hash (go.mod-only lines are skipped). */
function readGoSum(text: string): Sbom {
  const graph = new LockfileGraph('go.sum', 'go.sum');
  for (const line of text.split(/\r?\n/)) {
    const [module, version, hash] = line.trim().split(/\s+/);
    if (!module || !version || version.endsWith('/go.mod')) continue;
    const ref = graph.add({ ...golang(module, version), hashes: hash?.startsWith('h1:') ? { 'SHA-256': Buffer.from(hash.slice(3), 'base64').toString('hex') } : {} });
    graph.direct(ref);
  }
  return graph.build();
}

export const goModReader: LockfileReader = { fileNames: ['go.mod'], read: readGoMod };

export const goSumReader: LockfileReader = { fileNames: ['go.sum'], read: readGoSum };
