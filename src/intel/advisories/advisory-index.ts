/**
 * The in-memory advisory index: ecosystem → package name → compiled ranges (ranges.ts), built once
 * from the store and asked for whole batches of components. Version schemes come from
 * `versioningFor(ecosystem)` alone (ecosystems/versioning), so each new scheme there makes its
 * ecosystem's ECOSYSTEM ranges matchable here with no change; SEMVER ranges are read as SemVer 2.0,
 * as the OSV schema defines them. An ecosystem without a scheme still matches `versions` lists.
 *
 * The index lives as long as the server and every full garbage collection walks what it holds, so
 * it holds few objects: each package is a few flat arrays (ranges.ts), records and vulnerabilities
 * are numbers into a catalog whose ids and details are text in one buffer, and the objects callers
 * see — findings, vulnerabilities, advisory ids — are made when first matched, then kept and shared.
 * (On the bench store of ~100k records: ~1.9M objects and ~93 MiB before, ~57k objects and ~27 MiB,
 * most of it off the JS heap, after.)
 */
import { type Versioning, versioningFor } from '../../ecosystems/versioning/index.js';
import type { Store } from '../../store/db.js';
import type { NvdSeverity } from '../severity/resolve-score.js';
import { type Catalog, catalogOf, type Vulnerability } from './advisory-catalog.js';
import { type AdvisorySummaryRow, liveAdvisorySummaries, liveAffectedRows } from './advisory-store.js';
import { groupRecords } from './aliases.js';
import { ecosystemKey, normalizePackageName, normalizeVersion } from './names.js';
import type { Advisory, OsvAffected } from './osv.js';
import { type CompileOptions, type CompiledPackage, compilePackage, entriesInRangeAt, inRange, locate, positions } from './ranges.js';
import { semver2 } from './semver2.js';

export type { Vulnerability } from './advisory-catalog.js';

/** A component to look up, its ecosystem named as OSV names it (`PyPI`, `Go`, `npm`, `Maven`, …). */
export interface ComponentQuery {
  ecosystem: string;
  name: string;
  version?: string;
  /** a full Git commit hash, when known: matched against GIT ranges */
  commit?: string;
}

export interface Finding {
  vulnerability: Vulnerability;
  /** the records whose ranges or versions matched this component */
  readonly matchedBy: string[];
}

export interface IndexOptions extends CompileOptions {
  /** the version scheme lookup; tests may pass their own, the product uses versioningFor */
  versioningFor?: (ecosystem: string) => Versioning | undefined;
  /**
   * NVD's CVSS by CVE id (upper case), the third tier of a finding's score: each alias group gets
   * those of its CVE names. Absent until NVD data is imported.
   */
  nvd?: ReadonlyMap<string, readonly NvdSeverity[]>;
}

export interface IndexStats {
  ecosystems: Record<string, { packages: number; entries: number }>;
  vulnerabilities: number;
  buildMs: number;
}

interface PackageIndex {
  compiled: CompiledPackage;
  /** each entry's record, by its number in the catalog */
  records: Int32Array;
  /**
   * Findings by position on the package's only axis (index k + 1, so that -1 — not a version of the
   * scheme — has a slot), built on first use. Every version between two event versions has the
   * same range findings, so a batch of components mostly costs a binary search and a look-up.
   */
  segments?: (Segment | undefined)[];
  /** findings of the versions that `versions` lists name, by their slot in `compiled.listed`, built on first use */
  listedFindings?: (readonly Finding[] | undefined)[];
}

interface Segment {
  findings: readonly Finding[];
  /** `advisoryId` of every finding, to tell when a listed version adds nothing */
  ids: Set<string>;
}

interface EcosystemIndex {
  packages: Map<string, PackageIndex>;
  ecosystem: string;
}

function collect(catalog: Catalog, pkg: PackageIndex, entryIndexes: Iterable<number>, into = new Map<Vulnerability, Finding>()) {
  for (const i of entryIndexes) {
    const record = pkg.records[i];
    const vulnerability = catalog.vulnerability(record);
    const advisoryId = catalog.advisoryId(record);
    const same = into.get(vulnerability);
    if (!same) into.set(vulnerability, { vulnerability, matchedBy: [advisoryId] });
    else if (!same.matchedBy.includes(advisoryId)) same.matchedBy.push(advisoryId);
  }
  return into;
}

/** The part of an `affected` entry the index reads: the rest of the record is not kept. */
function leanAffected(affected: OsvAffected): OsvAffected {
  const lean: OsvAffected = {};
  if (affected.ranges) lean.ranges = affected.ranges.map((r) => ({ type: r.type, events: r.events }));
  if (affected.versions) lean.versions = affected.versions;
  return lean;
}

/**
 * Builds an index a batch of packages at a time: each batch is compiled as it comes (every row of a
 * package in the same batch), so the records' JSON of one batch is in memory, not all of it.
 */
class IndexBuilder {
  private readonly started = performance.now();
  private readonly lookup: (ecosystem: string) => Versioning | undefined;
  private readonly catalog: Catalog;
  private readonly recordOf: Map<string, number>;
  private readonly ecosystems = new Map<string, EcosystemIndex>();
  private readonly stats: IndexStats;

  constructor(
    summaries: AdvisorySummaryRow[],
    private readonly options: IndexOptions,
  ) {
    this.lookup = options.versioningFor ?? versioningFor;
    ({ catalog: this.catalog, recordOf: this.recordOf } = catalogOf(summaries, options.nvd));
    this.stats = { ecosystems: {}, vulnerabilities: this.catalog.vulnerabilities, buildMs: 0 };
  }

  addPackages(rows: Iterable<{ advisory_id: string; ecosystem: string; name: string; affected: OsvAffected }>): void {
    const grouped = new Map<string, Map<string, { records: number[]; affected: OsvAffected[] }>>();
    for (const row of rows) {
      const record = this.recordOf.get(row.advisory_id);
      if (record === undefined) continue; // withdrawn
      let names = grouped.get(row.ecosystem);
      if (!names) {
        names = new Map();
        grouped.set(row.ecosystem, names);
      }
      let list = names.get(row.name);
      if (!list) {
        list = { records: [], affected: [] };
        names.set(row.name, list);
      }
      list.records.push(record);
      list.affected.push(row.affected);
    }
    for (const [ecosystem, names] of grouped) {
      // SEMVER ranges are SemVer 2.0 by the OSV schema, whatever the ecosystem's own scheme says.
      const schemes = { ecosystem: this.lookup(ecosystem), semver: semver2 };
      let index = this.ecosystems.get(ecosystem);
      if (!index) {
        index = { packages: new Map(), ecosystem };
        this.ecosystems.set(ecosystem, index);
      }
      const stats = this.stats.ecosystems[ecosystem] ?? { packages: 0, entries: 0 };
      this.stats.ecosystems[ecosystem] = stats;
      for (const [name, list] of names) {
        const compiled = compilePackage(list.affected, schemes, this.options);
        if (!index.packages.has(name)) stats.packages++;
        index.packages.set(name, { compiled, records: Int32Array.from(list.records) });
        stats.entries += list.records.length;
      }
    }
  }

  finish(): AdvisoryIndex {
    this.stats.buildMs = Math.round(performance.now() - this.started);
    return AdvisoryIndex.create(this.ecosystems, this.catalog, this.stats);
  }
}

export class AdvisoryIndex {
  private constructor(
    private readonly ecosystems: Map<string, EcosystemIndex>,
    private readonly catalog: Catalog,
    readonly stats: IndexStats,
  ) {}

  /** @internal the builder's way in. */
  static create(ecosystems: Map<string, EcosystemIndex>, catalog: Catalog, stats: IndexStats): AdvisoryIndex {
    return new AdvisoryIndex(ecosystems, catalog, stats);
  }

  /** Builds the index from records' affected packages and their summaries. */
  static fromRows(
    affected: Iterable<{ advisory_id: string; ecosystem: string; name: string; affected: OsvAffected }>,
    summaries: AdvisorySummaryRow[],
    options: IndexOptions = {},
  ): AdvisoryIndex {
    const builder = new IndexBuilder(summaries, options);
    builder.addPackages(affected);
    return builder.finish();
  }

  /** Builds the index from parsed records held in memory (grouped by their aliases here). */
  static fromAdvisories(advisories: Advisory[], options: IndexOptions = {}): AdvisoryIndex {
    const groups = groupRecords(advisories.map((a) => ({ id: a.id, aliases: a.aliases, withdrawn: a.withdrawn !== null })));
    const live = advisories.filter((a) => a.withdrawn === null);
    return AdvisoryIndex.fromRows(
      live.flatMap((a) => a.packages.map((p) => ({ advisory_id: a.id, ecosystem: ecosystemKey(p.ecosystem), name: p.name, affected: p.affected }))),
      live.map((a) => ({ ...a, group_id: groups.get(a.id)! })),
      options,
    );
  }

  /** Builds the index from the store's live (not withdrawn) records, a page of packages at a time. */
  static async load(store: Store, options: IndexOptions = {}): Promise<AdvisoryIndex> {
    const builder = new IndexBuilder(await liveAdvisorySummaries(store.db), options);
    for await (const page of liveAffectedRows(store.db)) {
      builder.addPackages(page.map((row) => ({ ...row, affected: leanAffected(JSON.parse(row.affected) as OsvAffected) })));
    }
    return builder.finish();
  }

  /**
   * The vulnerabilities affecting each component, in the order given; one finding per vulnerability.
   * Findings may be shared between components and calls: treat them as read-only.
   */
  match(components: readonly ComponentQuery[]): (readonly Finding[])[] {
    return components.map((c) => this.matchOne(c));
  }

  private matchOne(component: ComponentQuery): readonly Finding[] {
    const ecosystem = this.ecosystems.get(ecosystemKey(component.ecosystem));
    if (!ecosystem) return [];
    const pkg = ecosystem.packages.get(normalizePackageName(component.ecosystem, component.name));
    if (!pkg) return [];
    const version = component.version === undefined ? undefined : normalizeVersion(component.ecosystem, component.version);
    const commit = component.commit?.trim().toLowerCase() || undefined;
    const { compiled } = pkg;
    if (version !== undefined && commit === undefined && compiled.axes.length <= 1) return this.matchBySegment(pkg, version);
    // Commits, and packages whose ranges use two schemes: every entry in turn.
    const hit = new Uint8Array(compiled.size);
    const listedSlot = version === undefined || !compiled.listed ? -1 : compiled.listed.find(version);
    if (listedSlot >= 0) for (const e of compiled.listed!.entriesOf(listedSlot)) hit[e] = 1;
    const commitSlot = commit === undefined || !compiled.commits ? -1 : compiled.commits.find(commit);
    if (commitSlot >= 0) for (const e of compiled.commits!.entriesOf(commitSlot)) hit[e] = 1;
    if (version !== undefined) {
      const at = positions(compiled, version);
      for (let e = 0; e < compiled.size; e++) if (!hit[e] && inRange(compiled, e, at)) hit[e] = 1;
    }
    const hits: number[] = [];
    hit.forEach((h, e) => {
      if (h) hits.push(e);
    });
    return hits.length ? [...collect(this.catalog, pkg, hits).values()] : [];
  }

  private matchBySegment(pkg: PackageIndex, version: string): readonly Finding[] {
    const { compiled } = pkg;
    const slot = compiled.listed ? compiled.listed.find(version) : -1;
    const known = slot < 0 ? undefined : pkg.listedFindings?.[slot];
    if (known) return known;
    pkg.segments ??= [];
    const segments = pkg.segments;
    const k = compiled.axes.length ? locate(compiled.axes[0], version) : -1;
    let segment = segments[k + 1];
    if (!segment) {
      const findings = [...collect(this.catalog, pkg, entriesInRangeAt(compiled, k)).values()];
      segment = { findings, ids: new Set(findings.flatMap((f) => f.matchedBy)) };
      segments[k + 1] = segment;
    }
    if (slot < 0) return segment.findings;
    const listedBy = compiled.listed!.entriesOf(slot);
    const ids = segment.ids;
    let findings = segment.findings;
    if (!listedBy.every((i) => ids.has(this.catalog.advisoryId(pkg.records[i])))) {
      // A listed version the ranges miss: add its entries to a copy.
      const merged = new Map<Vulnerability, Finding>();
      for (const f of segment.findings) merged.set(f.vulnerability, { vulnerability: f.vulnerability, matchedBy: [...f.matchedBy] });
      findings = [...collect(this.catalog, pkg, listedBy, merged).values()];
    }
    pkg.listedFindings ??= new Array(compiled.listed!.size);
    pkg.listedFindings[slot] = findings;
    return findings;
  }
}
