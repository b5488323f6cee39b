/**
 * Compiles the `affected` entries of one package into a form that answers "is version v affected?"
 * with a binary search and integer comparisons, following the OSV evaluation algorithm
 * (https://ossf.github.io/osv-schema/#evaluation): a version is affected when it is in the entry's
 * `versions` list or in any range; a range holds the versions for which the last applicable event
 * in version order is an `introduced`, below the largest `limit` when there are limits.
 *
 * How: all event versions of a package on one version scheme are sorted once into `points`. A
 * version v gets a position k on that axis — 2i+1 when v equals points[i], 2i when it lies between
 * points[i-1] and points[i] — so `v >= p[i]` is `k >= 2i+1` and `v > p[i]` is `k >= 2i+2`, and each
 * range becomes a list of half-open intervals of k, cut at its limit. An entry's ranges on one axis
 * are or-ed, so they are merged into one sorted list of disjoint intervals. Matching a component
 * then costs one binary search per scheme and no further version comparisons.
 *
 * The index keeps ~100,000 compiled entries for as long as the server runs, and every full garbage
 * collection walks what it holds: so a package is a few flat arrays (all its entries' intervals in
 * one Int32Array, its listed versions in one string), not objects per entry, range or version.
 *
 * GIT ranges need the repository's commit graph, which Tollgate does not have: a component's commit
 * is affected when it is one of the range's `introduced` or `last_affected` commits and not one of
 * its `fixed` or `limit` commits. Other commits are decided by the entry's other ranges and versions.
 */
import type { Versioning } from '../../ecosystems/versioning/index.js';
import type { OsvAffected, OsvRange } from './osv.js';

/** The sorted event versions of one package on one version scheme. */
export interface Axis {
  versioning: Versioning;
  points: string[];
}

/**
 * Exact strings of one package — the versions its records list, the commits of its GIT ranges —
 * each with the entries naming it: the strings end to end in one string, found through an
 * open-addressing hash table of slots, their entries in one Int32Array. Four objects per package
 * where a Map of arrays held an object per string (~140k listed versions in the bench data), and a
 * look-up as fast as the Map's.
 */
class EntryLists {
  private constructor(
    /** the keys, end to end */
    private readonly keys: string,
    /** per slot: where its key ends in `keys`, and where its entries end in `entries` */
    private readonly ends: Int32Array,
    private readonly entries: Int32Array,
    /** slot + 1 at the key's hash (or the next free place after it), 0 where free; a power of two long */
    private readonly table: Int32Array,
  ) {}

  /** null when there are no keys: most packages have no GIT ranges, and some no lists. */
  static of(byKey: Map<string, number[]>): EntryLists | null {
    if (byKey.size === 0) return null;
    const ends = new Int32Array(2 * byKey.size);
    const entries = new Int32Array([...byKey.values()].reduce((n, list) => n + list.length, 0));
    // At most half full, so that a look-up mostly lands on its key or on a free place.
    const table = new Int32Array(2 ** Math.ceil(Math.log2(2 * byKey.size)));
    const mask = table.length - 1;
    let slot = 0;
    let keyEnd = 0;
    let entryEnd = 0;
    for (const [key, list] of byKey) {
      keyEnd += key.length;
      entries.set(list, entryEnd);
      entryEnd += list.length;
      ends[2 * slot] = keyEnd;
      ends[2 * slot + 1] = entryEnd;
      let at = hash(key) & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = ++slot;
    }
    return new EntryLists([...byKey.keys()].join(''), ends, entries, table);
  }

  /** The slot of `key`, -1 when it is not one of the keys. */
  find(key: string): number {
    const { keys, ends, table } = this;
    const mask = table.length - 1;
    for (let at = hash(key) & mask; table[at] !== 0; at = (at + 1) & mask) {
      const slot = table[at] - 1;
      const start = slot === 0 ? 0 : ends[2 * slot - 2];
      if (ends[2 * slot] - start === key.length && keys.startsWith(key, start)) return slot;
    }
    return -1;
  }

  /** How many keys: slots are 0 … size - 1. */
  get size(): number {
    return this.ends.length >> 1;
  }

  /** The entries naming the key in `slot` (from find), ascending. */
  entriesOf(slot: number): Int32Array {
    return this.entries.subarray(slot === 0 ? 0 : this.ends[2 * slot - 1], this.ends[2 * slot + 1]);
  }
}

/** FNV-1a over the UTF-16 code units. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface CompiledPackage {
  axes: Axis[];
  /** how many entries, numbered 0… in the order given to compilePackage */
  size: number;
  /**
   * The ranges of every entry: entry e's intervals on axis a are the [lo, hi) pairs of positions
   * in spans[spans[e·A + a], spans[e·A + a + 1]) (A: the number of axes), sorted and disjoint,
   * `END` standing for no end. The first e·A + 1 numbers are those offsets, the pairs follow.
   */
  spans: Int32Array;
  /** entries with a range no scheme can order that holds every version (`introduced: "0"` alone); null when none */
  always: Uint8Array | null;
  /**
   * listed version → the entries whose `versions` list names it. The package's lists are kept
   * here only (not per entry as well): records of one package list mostly the same versions, so
   * this holds each version once (~140k for 680k listed versions in 100k records).
   */
  listed: EntryLists | null;
  /** lower-case commit → the entries one of whose GIT ranges affects it; null when no GIT range */
  commits: EntryLists | null;
}

/** No end: above every position (positions are at most 2 × the number of points). */
const END = 0x7fffffff;

/** The version schemes a package's ranges are read with. */
export interface Schemes {
  /** for ECOSYSTEM ranges: the ecosystem's own scheme, when there is one */
  ecosystem: Versioning | undefined;
  /** for SEMVER ranges: SemVer 2.0 */
  semver: Versioning;
}

export interface CompileOptions {
  /** leave out the entries' `versions` lists (the PyPI accuracy oracle checks ranges alone) */
  ignoreVersionLists?: boolean;
}

function eventVersion(event: Record<string, string | undefined>): [kind: string, version: string] {
  const kind = Object.keys(event)[0];
  return [kind, event[kind] as string];
}

function schemeOf(range: OsvRange, schemes: Schemes): Versioning | undefined {
  return range.type === 'SEMVER' ? schemes.semver : range.type === 'ECOSYSTEM' ? schemes.ecosystem : undefined;
}

/** The axis, and (for compiling only) each event version's index in its points. */
function buildAxis(versioning: Versioning, versions: Set<string>): [Axis, Map<string, number>] {
  const sorted = [...versions].sort((a, b) => versioning.compare(a, b));
  const points: string[] = [];
  // Versions the scheme holds equal share an index.
  const index = new Map<string, number>();
  for (const v of sorted) {
    if (points.length === 0 || versioning.compare(points[points.length - 1], v) !== 0) points.push(v);
    index.set(v, points.length - 1);
  }
  // slice: an array of exactly its length (arrays grown by push keep room for more).
  return [{ versioning, points: points.slice() }, index];
}

/** v's position on the axis (see the module comment); -1 when the scheme does not understand v. */
export function locate(axis: Axis, version: string): number {
  const { points, versioning } = axis;
  if (!versioning.isValid(version)) return -1;
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = versioning.compare(version, points[mid]);
    if (c === 0) return 2 * mid + 1;
    if (c > 0) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** The range as [lo, hi) pairs of positions on its axis, cut at its limit. */
function compileRange(range: OsvRange, index: Map<string, number>): number[] {
  const at = (v: string) => 2 * index.get(v)! + 1;
  let limit = -1;
  const timeline: { kind: string; pos: number }[] = [];
  for (const event of range.events) {
    const [kind, v] = eventVersion(event as Record<string, string | undefined>);
    if (kind === 'limit') limit = Math.max(limit, v.includes('*') ? END : at(v));
    else timeline.push({ kind, pos: kind === 'introduced' && v === '0' ? -1 : at(v) });
  }
  if (limit < 0) limit = END;
  // The reference algorithm walks the events in version order (ties in written order, hence the
  // stable sort) and the last one that applies to v decides. An event applies from a threshold
  // position on: introduced and fixed from their version (2i+1), last_affected from just above it
  // (2i+2). Between two consecutive thresholds the deciding event does not change, so each such
  // segment is wholly affected or not.
  timeline.sort((a, b) => a.pos - b.pos);
  const thresholds = timeline.map(({ kind, pos }) => (pos < 0 ? 0 : kind === 'last_affected' ? pos + 1 : pos));
  const starts = [...new Set(thresholds)].sort((a, b) => a - b);
  const intervals: number[] = [];
  starts.forEach((start, i) => {
    let deciding = -1;
    for (let e = 0; e < timeline.length; e++) if (thresholds[e] <= start) deciding = e;
    if (deciding < 0 || timeline[deciding].kind !== 'introduced') return;
    const end = Math.min(i + 1 < starts.length ? starts[i + 1] : END, limit);
    if (start >= end) return;
    if (intervals.length > 0 && intervals[intervals.length - 1] === start) intervals[intervals.length - 1] = end;
    else intervals.push(start, end);
  });
  return intervals;
}

/** The union of [lo, hi) pairs: sorted, disjoint, touching ones joined. */
function union(pairs: number[]): number[] {
  if (pairs.length <= 2) return pairs;
  const sorted: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) sorted.push([pairs[i], pairs[i + 1]]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    if (out.length > 0 && lo <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Whether a range no scheme can order holds every version: `introduced: "0"` alone. */
function holdsEveryVersion(range: OsvRange): boolean {
  return range.events.every((e) => {
    const [kind, v] = eventVersion(e as Record<string, string | undefined>);
    return kind === 'introduced' && v === '0';
  });
}

/** The commits an entry's GIT ranges affect, lower-case. */
function affectedCommits(ranges: OsvRange[]): Set<string> {
  const affected = new Set<string>();
  const unaffected = new Set<string>();
  for (const range of ranges) {
    if (range.type !== 'GIT') continue;
    for (const event of range.events) {
      const [kind, v] = eventVersion(event as Record<string, string | undefined>);
      const commit = v.toLowerCase();
      if (kind === 'fixed' || kind === 'limit') unaffected.add(commit);
      else if (v !== '0') affected.add(commit);
    }
  }
  for (const commit of unaffected) affected.delete(commit);
  return affected;
}

function addTo(byKey: Map<string, number[]>, key: string, entry: number): void {
  const list = byKey.get(key);
  if (!list) byKey.set(key, [entry]);
  else if (list[list.length - 1] !== entry) list.push(entry); // a list naming a version twice
}

/** Compiles every `affected` entry of one package. */
export function compilePackage(entries: readonly OsvAffected[], schemes: Schemes, options: CompileOptions = {}): CompiledPackage {
  // One axis per scheme object: when the ecosystem's scheme also reads SEMVER ranges, they share it.
  const versionsByScheme = new Map<Versioning, Set<string>>();
  for (const affected of entries) {
    for (const range of affected.ranges ?? []) {
      const scheme = schemeOf(range, schemes);
      if (!scheme) continue;
      let set = versionsByScheme.get(scheme);
      if (!set) {
        set = new Set();
        versionsByScheme.set(scheme, set);
      }
      for (const event of range.events) {
        const [kind, v] = eventVersion(event as Record<string, string | undefined>);
        if ((kind === 'introduced' && v === '0') || (kind === 'limit' && v.includes('*'))) continue;
        set.add(v);
      }
    }
  }
  const axes: Axis[] = [];
  const indexes: Map<string, number>[] = [];
  const axisOf = new Map<Versioning, number>();
  for (const [scheme, versions] of versionsByScheme) {
    axisOf.set(scheme, axes.length);
    const [axis, index] = buildAxis(scheme, versions);
    axes.push(axis);
    indexes.push(index);
  }

  const offsets: number[] = [];
  const pairs: number[] = [];
  let always: Uint8Array | null = null;
  const commits = new Map<string, number[]>();
  entries.forEach((affected, e) => {
    const byAxis: number[][] = axes.map(() => []);
    for (const range of affected.ranges ?? []) {
      if (range.type === 'GIT') continue;
      const scheme = schemeOf(range, schemes);
      if (scheme) byAxis[axisOf.get(scheme)!].push(...compileRange(range, indexes[axisOf.get(scheme)!]));
      else if (holdsEveryVersion(range)) {
        always ??= new Uint8Array(entries.length);
        always[e] = 1;
      }
    }
    for (const intervals of byAxis) {
      offsets.push(pairs.length);
      pairs.push(...union(intervals));
    }
    for (const commit of affectedCommits(affected.ranges ?? [])) addTo(commits, commit, e);
  });
  offsets.push(pairs.length);
  const spans = new Int32Array(offsets.length + pairs.length);
  offsets.forEach((offset, i) => {
    spans[i] = offsets.length + offset;
  });
  spans.set(pairs, offsets.length);

  const listed = new Map<string, number[]>();
  if (!options.ignoreVersionLists) {
    entries.forEach((affected, e) => {
      for (const v of affected.versions ?? []) addTo(listed, v, e);
    });
  }
  return { axes, size: entries.length, spans, always, listed: EntryLists.of(listed), commits: EntryLists.of(commits) };
}

/** Positions of one version on each of a package's axes, computed once per component. */
export function positions(pkg: CompiledPackage, version: string | undefined): number[] {
  return pkg.axes.map((axis) => (version === undefined ? -1 : locate(axis, version)));
}

/** Whether position k is in the intervals spans[from, to). */
function inSpans(spans: Int32Array, from: number, to: number, k: number): boolean {
  for (let i = from; i < to; i += 2) {
    if (k < spans[i]) return false;
    if (k < spans[i + 1]) return true;
  }
  return false;
}

/** Whether one of entry e's ranges holds the version at positions `at` (one per axis; -1: not a version of that scheme). */
export function inRange(pkg: CompiledPackage, e: number, at: readonly number[]): boolean {
  if (pkg.always?.[e]) return true;
  const { spans } = pkg;
  const width = at.length;
  for (let a = 0; a < width; a++) {
    const k = at[a];
    if (k >= 0 && inSpans(spans, spans[e * width + a], spans[e * width + a + 1], k)) return true;
  }
  return false;
}

/**
 * The entries whose ranges hold a version at position k of a package's only axis (k = -1: a version
 * the scheme does not understand, or a package without axis). Lists and commits are not looked at.
 */
export function entriesInRangeAt(pkg: CompiledPackage, k: number): number[] {
  const at = pkg.axes.length === 0 ? [] : [k];
  const out: number[] = [];
  for (let e = 0; e < pkg.size; e++) if (inRange(pkg, e, at)) out.push(e);
  return out;
}
