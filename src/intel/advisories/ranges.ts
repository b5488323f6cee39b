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
 * range becomes a list of half-open intervals of k. Matching a component then costs one binary
 * search per scheme and no further version comparisons.
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
  /** event version → its index in points (versions the scheme holds equal share an index) */
  index: Map<string, number>;
}

export interface CompiledRange {
  /** index into the package's axes; -1 when no scheme can order this range (see `always`) */
  axis: number;
  /** flat [lo, hi) pairs of positions */
  intervals: number[];
  /** positions must be below this (Infinity: no limit) */
  limit: number;
  /** the range holds every version (`introduced: "0"` alone); usable even without a scheme */
  always: boolean;
}

export interface CompiledGit {
  affected: Set<string>;
  unaffected: Set<string>;
}

export interface CompiledEntry<Ref> {
  ref: Ref;
  ranges: CompiledRange[];
  git: CompiledGit | null;
}

export interface CompiledPackage<Ref> {
  axes: Axis[];
  entries: CompiledEntry<Ref>[];
  /**
   * listed version → the entries whose `versions` list names it. The package's lists are kept
   * here only (not per entry as well): records of one package list mostly the same versions, so
   * this holds each version once (~140k for 680k listed versions in 100k records).
   */
  listed: Map<string, number[]>;
}

/**
 * An array of exactly its length. Arrays grown by push keep room for more (16 slots and up); the
 * index holds hundreds of thousands of small ones for as long as the server runs, and that slack
 * was a third of its memory.
 */
function exact<T>(list: T[]): T[] {
  return list.slice();
}

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

function buildAxis(versioning: Versioning, versions: Set<string>): Axis {
  const sorted = [...versions].sort((a, b) => versioning.compare(a, b));
  const points: string[] = [];
  const index = new Map<string, number>();
  for (const v of sorted) {
    if (points.length === 0 || versioning.compare(points[points.length - 1], v) !== 0) points.push(v);
    index.set(v, points.length - 1);
  }
  return { versioning, points: exact(points), index };
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

function compileRange(range: OsvRange, axisIndex: number, axis: Axis | undefined): CompiledRange {
  const events = range.events.map((e) => eventVersion(e as Record<string, string | undefined>));
  const onlyIntroducedZero = events.every(([kind, v]) => kind === 'introduced' && v === '0');
  if (!axis) return { axis: -1, intervals: [], limit: Number.POSITIVE_INFINITY, always: onlyIntroducedZero };
  const at = (v: string) => 2 * axis.index.get(v)! + 1;
  let limit = Number.NEGATIVE_INFINITY;
  const timeline: { kind: string; pos: number }[] = [];
  for (const [kind, v] of events) {
    if (kind === 'limit') limit = Math.max(limit, v.includes('*') ? Number.POSITIVE_INFINITY : at(v));
    else timeline.push({ kind, pos: kind === 'introduced' && v === '0' ? -1 : at(v) });
  }
  if (limit === Number.NEGATIVE_INFINITY) limit = Number.POSITIVE_INFINITY;
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
    const end = i + 1 < starts.length ? starts[i + 1] : Number.POSITIVE_INFINITY;
    if (intervals.length > 0 && intervals[intervals.length - 1] === start) intervals[intervals.length - 1] = end;
    else intervals.push(start, end);
  });
  return { axis: axisIndex, intervals: exact(intervals), limit, always: false };
}

function compileGit(ranges: OsvRange[]): CompiledGit | null {
  const git = ranges.filter((r) => r.type === 'GIT');
  if (git.length === 0) return null;
  const affected = new Set<string>();
  const unaffected = new Set<string>();
  for (const range of git) {
    for (const event of range.events) {
      const [kind, v] = eventVersion(event as Record<string, string | undefined>);
      const commit = v.toLowerCase();
      if (kind === 'fixed' || kind === 'limit') unaffected.add(commit);
      else if (v !== '0') affected.add(commit);
    }
  }
  for (const commit of unaffected) affected.delete(commit);
  return { affected, unaffected };
}

/** Compiles every `affected` entry of one package. */
export function compilePackage<Ref>(
  entries: { ref: Ref; affected: OsvAffected }[],
  schemes: Schemes,
  options: CompileOptions = {},
): CompiledPackage<Ref> {
  // One axis per scheme object: when the ecosystem's scheme also reads SEMVER ranges, they share it.
  const versionsByScheme = new Map<Versioning, Set<string>>();
  for (const { affected } of entries) {
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
  const axisOf = new Map<Versioning, number>();
  for (const [scheme, versions] of versionsByScheme) {
    axisOf.set(scheme, axes.length);
    axes.push(buildAxis(scheme, versions));
  }
  const compiled = entries.map(({ ref, affected }) => {
    const ranges: CompiledRange[] = [];
    for (const range of affected.ranges ?? []) {
      if (range.type === 'GIT') continue;
      const scheme = schemeOf(range, schemes);
      const axisIndex = scheme ? axisOf.get(scheme)! : -1;
      ranges.push(compileRange(range, axisIndex, axes[axisIndex]));
    }
    return { ref, ranges: exact(ranges), git: compileGit(affected.ranges ?? []) };
  });
  const listed = new Map<string, number[]>();
  if (!options.ignoreVersionLists) {
    entries.forEach(({ affected }, i) => {
      for (const v of affected.versions ?? []) {
        const list = listed.get(v);
        if (!list) listed.set(v, [i]);
        else if (list[list.length - 1] !== i) list.push(i); // a list naming a version twice
      }
    });
    for (const [v, list] of listed) if (list.length > 1) listed.set(v, exact(list));
  }
  return { axes, entries: compiled, listed };
}

/** Positions of one version on each of a package's axes, computed once per component. */
export function positions(pkg: CompiledPackage<unknown>, version: string | undefined): number[] {
  return pkg.axes.map((axis) => (version === undefined ? -1 : locate(axis, version)));
}

function inRange(range: CompiledRange, at: number[]): boolean {
  if (range.always) return true;
  if (range.axis < 0) return false;
  const k = at[range.axis];
  if (k < 0 || k >= range.limit) return false;
  const iv = range.intervals;
  for (let i = 0; i < iv.length; i += 2) if (k >= iv[i] && k < iv[i + 1]) return true;
  return false;
}

/**
 * The entries whose ranges hold a version at position k of a package's only axis (k = -1: a version
 * the scheme does not understand). Lists and commits are not looked at.
 */
export function entriesInRangeAt(pkg: CompiledPackage<unknown>, k: number): number[] {
  const at = [k];
  const out: number[] = [];
  pkg.entries.forEach((entry, i) => {
    for (const range of entry.ranges) {
      if (inRange(range, at)) {
        out.push(i);
        return;
      }
    }
  });
  return out;
}

/**
 * Whether an entry holds the version (at: its positions; listed: its `versions` list names it) or
 * the commit.
 */
export function entryMatches(entry: CompiledEntry<unknown>, version: string | undefined, at: number[], listed: boolean, commit: string | undefined): boolean {
  if (listed) return true;
  if (commit !== undefined && entry.git?.affected.has(commit)) return true;
  if (version === undefined) return false;
  for (const range of entry.ranges) if (inRange(range, at)) return true;
  return false;
}
