/**
 * The in-memory advisory index: ecosystem → package name → compiled ranges (ranges.ts), built once
 * from the store and asked for whole batches of components. Version schemes come from
 * `versioningFor(ecosystem)` alone (ecosystems/versioning), so each new scheme there makes its
 * ecosystem's ECOSYSTEM ranges matchable here with no change; SEMVER ranges are read as SemVer 2.0,
 * as the OSV schema defines them. An ecosystem without a scheme still matches `versions` lists.
 */
import { type Versioning, versioningFor } from '../../ecosystems/versioning/index.js';
import type { Store } from '../../store/db.js';
import { type AdvisorySummaryRow, liveAdvisorySummaries, liveAffectedRows } from './advisory-store.js';
import { groupRecords } from './aliases.js';
import { ecosystemKey, normalizePackageName, normalizeVersion } from './names.js';
import type { Advisory, OsvAffected, OsvSeverity } from './osv.js';
import {
  type CompileOptions,
  type CompiledPackage,
  compilePackage,
  entriesInRangeAt,
  entryMatches,
  locate,
  positions,
} from './ranges.js';
import { semver2 } from './semver2.js';

/** A component to look up, its ecosystem named as OSV names it (`PyPI`, `Go`, `npm`, `Maven`, …). */
export interface ComponentQuery {
  ecosystem: string;
  name: string;
  version?: string;
  /** a full Git commit hash, when known: matched against GIT ranges */
  commit?: string;
}

/** One vulnerability: every record about it, under its canonical id, with what evaluations report of it. */
export interface Vulnerability {
  /** canonical id of the alias group (a CVE when there is one) */
  readonly id: string;
  /** its other names: record ids and aliases */
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly severity: readonly OsvSeverity[];
  readonly cweIds: readonly string[];
}

type Details = [aliases: string[], summary: string | null, severity: OsvSeverity[], cweIds: string[]];

/**
 * A vulnerability as the index holds it: its id and its details as one JSON text, read on first
 * use. The index keeps ~100,000 of them for as long as the server runs; as objects with their
 * lists they were a million small objects that every full garbage collection walked, as strings
 * they are two per vulnerability (and only the ones evaluations meet are ever read).
 */
class IndexedVulnerability implements Vulnerability {
  #details: Details | string;
  constructor(
    readonly id: string,
    details: string,
  ) {
    this.#details = details;
  }
  private read(): Details {
    if (typeof this.#details === 'string') this.#details = JSON.parse(this.#details) as Details;
    return this.#details;
  }
  get aliases(): readonly string[] {
    return this.read()[0];
  }
  get summary(): string | null {
    return this.read()[1];
  }
  get severity(): readonly OsvSeverity[] {
    return this.read()[2];
  }
  get cweIds(): readonly string[] {
    return this.read()[3];
  }
}

export interface Finding {
  vulnerability: Vulnerability;
  /** the records whose ranges or versions matched this component */
  readonly matchedBy: string[];
}

export interface IndexOptions extends CompileOptions {
  /** the version scheme lookup; tests may pass their own, the product uses versioningFor */
  versioningFor?: (ecosystem: string) => Versioning | undefined;
}

export interface IndexStats {
  ecosystems: Record<string, { packages: number; entries: number }>;
  vulnerabilities: number;
  buildMs: number;
}

interface Ref {
  advisoryId: string;
  vulnerability: Vulnerability;
}

interface PackageIndex {
  compiled: CompiledPackage<Ref>;
  /**
   * Findings by position on the package's only axis (index k + 1, so that -1 — not a version of the
   * scheme — has a slot), built on first use. Every version between two event versions has the
   * same range findings, so a batch of components mostly costs a binary search and a look-up.
   */
  segments: (Segment | undefined)[] | null;
  /** findings of the versions that `versions` lists name (a set bounded by the data), built on first use */
  listedFindings: Map<string, readonly Finding[]>;
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

function collect(pkg: CompiledPackage<Ref>, entryIndexes: Iterable<number>, into = new Map<Vulnerability, Finding>()) {
  for (const i of entryIndexes) {
    const { vulnerability, advisoryId } = pkg.entries[i].ref;
    const same = into.get(vulnerability);
    if (!same) into.set(vulnerability, { vulnerability, matchedBy: [advisoryId] });
    else if (!same.matchedBy.includes(advisoryId)) same.matchedBy.push(advisoryId);
  }
  return into;
}

/** Builds the Vulnerability of each alias group from its records' summaries. */
function vulnerabilities(rows: AdvisorySummaryRow[]): Map<string, Vulnerability> {
  const byGroup = new Map<string, AdvisorySummaryRow[]>();
  for (const row of rows) {
    const list = byGroup.get(row.group_id);
    if (list) list.push(row);
    else byGroup.set(row.group_id, [row]);
  }
  const out = new Map<string, Vulnerability>();
  for (const [group, records] of byGroup) {
    records.sort((a, b) => (a.id < b.id ? -1 : 1));
    const names = new Set<string>();
    const severity = new Map<string, OsvSeverity>();
    const cwes = new Set<string>();
    for (const r of records) {
      names.add(r.id);
      for (const a of r.aliases) names.add(a);
      for (const s of r.severity) severity.set(`${s.type}|${s.score}`, s);
      for (const c of r.cweIds) cwes.add(c);
    }
    names.delete(group);
    const details: Details = [[...names].sort(), records.find((r) => r.summary)?.summary ?? null, [...severity.values()], [...cwes].sort()];
    const vulnerability = new IndexedVulnerability(group, JSON.stringify(details));
    for (const r of records) out.set(r.id, vulnerability);
  }
  return out;
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
  private readonly byId: Map<string, Vulnerability>;
  private readonly ecosystems = new Map<string, EcosystemIndex>();
  private readonly stats: IndexStats;

  constructor(
    summaries: AdvisorySummaryRow[],
    private readonly options: IndexOptions,
  ) {
    this.lookup = options.versioningFor ?? versioningFor;
    this.byId = vulnerabilities(summaries);
    this.stats = { ecosystems: {}, vulnerabilities: new Set(this.byId.values()).size, buildMs: 0 };
  }

  addPackages(rows: Iterable<{ advisory_id: string; ecosystem: string; name: string; affected: OsvAffected }>): void {
    const grouped = new Map<string, Map<string, { ref: Ref; affected: OsvAffected }[]>>();
    for (const row of rows) {
      const vulnerability = this.byId.get(row.advisory_id);
      if (!vulnerability) continue; // withdrawn
      let names = grouped.get(row.ecosystem);
      if (!names) {
        names = new Map();
        grouped.set(row.ecosystem, names);
      }
      let list = names.get(row.name);
      if (!list) {
        list = [];
        names.set(row.name, list);
      }
      list.push({ ref: { advisoryId: row.advisory_id, vulnerability }, affected: row.affected });
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
        const compiled = compilePackage(list, schemes, this.options);
        if (!index.packages.has(name)) stats.packages++;
        index.packages.set(name, { compiled, segments: compiled.axes.length <= 1 ? [] : null, listedFindings: new Map() });
        stats.entries += list.length;
      }
    }
  }

  finish(): AdvisoryIndex {
    this.stats.buildMs = Math.round(performance.now() - this.started);
    return AdvisoryIndex.create(this.ecosystems, this.stats);
  }
}

export class AdvisoryIndex {
  private constructor(
    private readonly ecosystems: Map<string, EcosystemIndex>,
    readonly stats: IndexStats,
  ) {}

  /** @internal the builder's way in. */
  static create(ecosystems: Map<string, EcosystemIndex>, stats: IndexStats): AdvisoryIndex {
    return new AdvisoryIndex(ecosystems, stats);
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
    if (version !== undefined && commit === undefined && pkg.segments) return this.matchBySegment(pkg, version);
    // Commits, and packages whose ranges use two schemes: every entry in turn.
    const { compiled } = pkg;
    const at = positions(compiled, version);
    const listedBy = version === undefined ? undefined : compiled.listed.get(version);
    const hits: number[] = [];
    compiled.entries.forEach((entry, i) => {
      if (entryMatches(entry, version, at, listedBy?.includes(i) ?? false, commit)) hits.push(i);
    });
    return hits.length ? [...collect(compiled, hits).values()] : [];
  }

  private matchBySegment(pkg: PackageIndex, version: string): readonly Finding[] {
    const { compiled } = pkg;
    const segments = pkg.segments!;
    const k = compiled.axes.length ? locate(compiled.axes[0], version) : -1;
    let segment = segments[k + 1];
    if (!segment) {
      const findings = [...collect(compiled, entriesInRangeAt(compiled, k)).values()];
      segment = { findings, ids: new Set(findings.flatMap((f) => f.matchedBy)) };
      segments[k + 1] = segment;
    }
    const listedBy = compiled.listed.get(version);
    if (!listedBy) return segment.findings;
    let findings = pkg.listedFindings.get(version);
    if (!findings) {
      findings = segment.findings;
      if (!listedBy.every((i) => segment.ids.has(compiled.entries[i].ref.advisoryId))) {
        // A listed version the ranges miss: add its entries to a copy.
        const merged = new Map<Vulnerability, Finding>();
        for (const f of segment.findings) merged.set(f.vulnerability, { vulnerability: f.vulnerability, matchedBy: [...f.matchedBy] });
        findings = [...collect(compiled, listedBy, merged).values()];
      }
      pkg.listedFindings.set(version, findings);
    }
    return findings;
  }
}
