import { parse as parsePep440 } from '@renovatebot/pep440';
import { defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * PyPI: PEP 440 ordering (epoch, release with trailing zeros ignored, pre < post-less release < post,
 * dev releases before their pre/post/final, local versions after the public one), parsed with
 * `@renovatebot/pep440`. The sort key is built once per string rather than on every comparison.
 */
export const pep440Versioning: Versioning = defineVersioning<Key>({
  name: 'pep440',
  parse: (v) => {
    const p = parsePep440(v.trim());
    return p ? toKey(p) : null;
  },
  compare: compareKeys,
});

type Label = readonly [string | number, number];

interface Key {
  epoch: number;
  release: number[];
  /** PEP 440 phase: dev-only sorts before any pre, no pre sorts after any pre. */
  pre: Label | typeof NEG | typeof POS;
  post: number | typeof NEG;
  dev: number | typeof POS;
  local: (string | number)[] | null;
}

const NEG = -Infinity;
const POS = Infinity;

function toKey(p: NonNullable<ReturnType<typeof parsePep440>>): Key {
  const release = p.release.slice();
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  const hasPre = p.pre && p.pre.length > 0;
  const hasPost = p.post && p.post.length > 0;
  const hasDev = p.dev && p.dev.length > 0;
  const pre: Key['pre'] = hasPre
    ? [p.pre[0], Number(p.pre[1])]
    : !hasPost && hasDev
      ? NEG
      : POS;
  return {
    epoch: p.epoch,
    release,
    pre,
    post: hasPost ? Number(p.post[1]) : NEG,
    dev: hasDev ? Number(p.dev[1]) : POS,
    local: localSegments(p.local as unknown),
  };
}

/** The parser already splits the local label on `.`/`-`/`_`, lowercases it and reads numbers. */
function localSegments(local: unknown): (string | number)[] | null {
  if (Array.isArray(local)) return local as (string | number)[];
  if (typeof local === 'string' && local !== '') {
    return local.split(/[._-]/).map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s.toLowerCase()));
  }
  return null;
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: Key, b: Key): number {
  if (a.epoch !== b.epoch) return cmp(a.epoch, b.epoch);
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const r = cmp(a.release[i] ?? 0, b.release[i] ?? 0);
    if (r !== 0) return r;
  }
  const pre = comparePre(a.pre, b.pre);
  if (pre !== 0) return pre;
  if (a.post !== b.post) return cmp(a.post, b.post);
  if (a.dev !== b.dev) return cmp(a.dev, b.dev);
  return compareLocal(a.local, b.local);
}

function comparePre(a: Key['pre'], b: Key['pre']): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : 0;
    const y = typeof b === 'number' ? b : 0;
    return cmp(x, y);
  }
  // Normalised letters a < b < rc happen to sort alphabetically.
  return cmp(String(a[0]), String(b[0])) || cmp(a[1], b[1]);
}

/** Local segments: numeric beats alphanumeric, alphanumerics compare lexically, longer wins a tie. */
function compareLocal(a: Key['local'], b: Key['local']): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    const r = cmp(x, y);
    if (r !== 0) return r;
  }
  return cmp(a.length, b.length);
}
