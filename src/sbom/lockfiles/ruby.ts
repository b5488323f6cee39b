import type { Sbom } from '../model.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';

/**
 * Gemfile.lock: the `specs:` of GEM, GIT and PATH sections (4-space "name (version)" lines, with
 * their dependencies at 6 spaces) and the DEPENDENCIES section naming the direct ones. Gems from
 * PATH sources with remote "." are the project itself: their dependencies are direct too.
 */
const LOCAL = '\u0000project';

function readGemfileLock(text: string): Sbom {
  const graph = new LockfileGraph('Gemfile.lock', 'Gemfile.lock');
  const refs = new Map<string, string>();
  const edges: Array<[string, string]> = [];
  const direct: string[] = [];
  let section = '';
  let local = false;
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^[A-Z]/.test(raw)) {
      section = raw.trim();
      local = false;
      continue;
    }
    if (section === 'PATH' && /^ {2}remote: \.$/.test(raw)) local = true;
    if (['GEM', 'GIT', 'PATH'].includes(section)) {
      const spec = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(raw);
      if (spec) {
        current = spec[1];
        if (!local) {
          // Platform-specific gems read "nokogiri (1.16.0-x86_64-linux)".
          const [version, platform] = spec[2].split(/-(?=[a-z])/);
          refs.set(spec[1], graph.add({ type: 'gem', name: spec[1], version, qualifiers: platform ? { platform } : undefined }));
        } else current = LOCAL;
        continue;
      }
      const dep = /^ {6}([^\s(]+)/.exec(raw);
      if (dep && current) edges.push([current, dep[1]]);
    } else if (section === 'DEPENDENCIES') {
      const dep = /^ {2}([^\s(!]+)/.exec(raw);
      if (dep) direct.push(dep[1]);
    }
  }
  for (const [from, to] of edges) {
    if (from === LOCAL) direct.push(to);
    const a = refs.get(from);
    const b = refs.get(to);
    if (a && b) graph.depend(a, b);
  }
  for (const name of direct) {
    const ref = refs.get(name);
    if (ref) graph.direct(ref);
  }
  return graph.build();
}

export const gemfileLockReader: LockfileReader = { fileNames: ['Gemfile.lock'], read: readGemfileLock };
