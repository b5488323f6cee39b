/**
 * The advisory index's catalog: the live records and their alias groups (vulnerabilities) by
 * number, their ids and details packed as text in one buffer (see advisory-index.ts on why the
 * index holds few objects), and each vulnerability's scoring data — every severity entry with the
 * record that carries it, the records' qualitative ratings, NVD's CVSS once imported — for
 * intel/severity/resolve-score.ts.
 */
import type { NvdSeverity, VulnerabilityScoring } from '../severity/resolve-score.js';
import type { AdvisorySummaryRow } from './advisory-store.js';
import type { OsvSeverity } from './osv.js';

/** One vulnerability: every record about it, under its canonical id, with what evaluations report of it. */
export interface Vulnerability {
  /** canonical id of the alias group (a CVE when there is one) */
  readonly id: string;
  /** its other names: record ids and aliases */
  readonly aliases: readonly string[];
  readonly summary: string | null;
  /** the records' severity entries, without repeats */
  readonly severity: readonly OsvSeverity[];
  /** what its score is resolved from (intel/severity/resolve-score.ts): each entry with its record, the records' ratings */
  readonly scoring: VulnerabilityScoring;
  readonly cweIds: readonly string[];
}

type Details = [aliases: string[], summary: string | null, scoring: VulnerabilityScoring, cweIds: string[]];
/** A severity entry as the catalog's text holds it: the record by its place among its group's records. */
type StoredSeverity = [type: string, score: string, record: number];
/**
 * Details as the catalog holds them: the severity list by its text's number. Vulnerabilities share
 * a few thousand CVSS vectors, and the vectors were a third of the details' text; naming a record
 * by its place in its group (mostly 0) keeps the lists shared.
 */
type StoredDetails = [
  aliases: string[],
  summary: string | null,
  severity: number,
  cweIds: string[],
  ratings?: [rating: string, record: number][],
  nvd?: NvdSeverity[],
];

/**
 * Strings held as UTF-8, end to end in one buffer, and read back on demand: one object for them
 * all, outside the garbage-collected heap. (The strings put in are well-formed UTF-16 — record ids
 * and JSON.stringify output — so they read back exactly.)
 */
class PackedTexts {
  private constructor(
    private readonly bytes: Buffer,
    /** where each text ends in `bytes` */
    private readonly ends: Int32Array,
  ) {}

  static of(texts: readonly string[]): PackedTexts {
    const ends = new Int32Array(texts.length);
    let size = 0;
    texts.forEach((text, i) => {
      size += Buffer.byteLength(text);
      ends[i] = size;
    });
    const bytes = Buffer.alloc(size);
    let at = 0;
    for (const text of texts) at += bytes.write(text, at);
    return new PackedTexts(bytes, ends);
  }

  at(i: number): string {
    return this.bytes.toString('utf8', i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/**
 * A vulnerability as the index hands it out: its id, and its details read from the catalog's text
 * on first use (only the ones evaluations meet are ever read).
 */
class IndexedVulnerability implements Vulnerability {
  // Private fields, not properties: nothing that copies or serializes a vulnerability meets the catalog.
  readonly #catalog: Catalog;
  readonly #number: number;
  #details: Details | undefined;
  constructor(readonly id: string, catalog: Catalog, number: number) {
    this.#catalog = catalog;
    this.#number = number;
    this.#details = undefined;
  }
  private read(): Details {
    this.#details ??= this.#catalog.details(this.#number);
    return this.#details;
  }
  get aliases(): readonly string[] {
    return this.read()[0];
  }
  get summary(): string | null {
    return this.read()[1];
  }
  get severity(): readonly OsvSeverity[] {
    const seen = new Set<string>();
    const out: OsvSeverity[] = [];
    for (const s of this.read()[2].severities) {
      const key = `${s.type}|${s.score}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ type: s.type ?? '', score: s.score });
      }
    }
    return out;
  }
  get scoring(): VulnerabilityScoring {
    return this.read()[2];
  }
  get cweIds(): readonly string[] {
    return this.read()[3];
  }
}

/**
 * The live records and vulnerabilities of an index, by number. The index keeps ~100,000 of each
 * for as long as the server runs; as objects (a vulnerability with its lists, a record with its id)
 * they were a million small objects that every full garbage collection walked. Here their ids and
 * details are text in one buffer, each record's vulnerability a number, and a record's id string
 * or Vulnerability object is made when a finding first needs it — then kept, so that findings
 * share them and a vulnerability is always the same object.
 */
export class Catalog {
  /** the records' ids and the vulnerabilities made so far */
  private readonly advisoryIds = new Map<number, string>();
  private readonly made = new Map<number, Vulnerability>();

  constructor(
    /**
     * record ids [0, R), then the vulnerabilities' ids [R, R + V), then their details [R + V, R + 2V),
     * then the severity lists the details name
     */
    private readonly texts: PackedTexts,
    /** each record's vulnerability: a group's records are numbered one after another */
    private readonly vulnerabilityOf: Int32Array,
    readonly vulnerabilities: number,
  ) {}

  advisoryId(record: number): string {
    let id = this.advisoryIds.get(record);
    if (id === undefined) {
      id = this.texts.at(record);
      this.advisoryIds.set(record, id);
    }
    return id;
  }

  vulnerability(record: number): Vulnerability {
    const v = this.vulnerabilityOf[record];
    let made = this.made.get(v);
    if (!made) {
      made = new IndexedVulnerability(this.texts.at(this.vulnerabilityOf.length + v), this, v);
      this.made.set(v, made);
    }
    return made;
  }

  /** The first record of vulnerability v (vulnerabilityOf is sorted: a binary search). */
  private firstRecord(v: number): number {
    let lo = 0;
    let hi = this.vulnerabilityOf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vulnerabilityOf[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Vulnerability v's details, parsed from the text. */
  details(v: number): Details {
    const records = this.vulnerabilityOf.length;
    const [aliases, summary, severity, cweIds, ratings, nvd] = JSON.parse(this.texts.at(records + this.vulnerabilities + v)) as StoredDetails;
    const first = this.firstRecord(v);
    const scoring: VulnerabilityScoring = {
      severities: (JSON.parse(this.texts.at(severity)) as StoredSeverity[]).map(([type, score, r]) => ({ type, score, record: this.advisoryId(first + r) })),
      ratings: (ratings ?? []).map(([rating, r]) => ({ rating, record: this.advisoryId(first + r) })),
      nvd: nvd ?? undefined,
    };
    return [aliases, summary, scoring, cweIds];
  }
}

/**
 * The catalog of the records' alias groups, each group's details taken from its records'
 * summaries; and each record id's number in it, for the build only. `nvd` holds NVD's CVSS by CVE
 * id, when NVD data is imported: a group without a CVSS vector of its own gets those of its CVE names.
 */
export function catalogOf(rows: AdvisorySummaryRow[], nvd?: ReadonlyMap<string, readonly NvdSeverity[]>): { catalog: Catalog; recordOf: Map<string, number> } {
  const byGroup = new Map<string, AdvisorySummaryRow[]>();
  for (const row of rows) {
    const list = byGroup.get(row.group_id);
    if (list) list.push(row);
    else byGroup.set(row.group_id, [row]);
  }
  const recordIds: string[] = [];
  const vulnerabilityOf: number[] = [];
  const groupIds: string[] = [];
  const details: string[] = [];
  const recordOf = new Map<string, number>();
  const severityLists = new Map<string, number>();
  const firstSeverityList = rows.length + 2 * byGroup.size;
  for (const [group, records] of byGroup) {
    records.sort((a, b) => (a.id < b.id ? -1 : 1));
    const names = new Set<string>();
    const severity: StoredSeverity[] = [];
    const ratings: [string, number][] = [];
    const cwes = new Set<string>();
    records.forEach((r, place) => {
      names.add(r.id);
      for (const a of r.aliases) names.add(a);
      // A record's entries are few (most have none): repeats are found by looking back.
      const from = severity.length;
      for (const s of r.severity) {
        let repeat = false;
        for (let i = from; i < severity.length && !repeat; i++) repeat = severity[i][0] === s.type && severity[i][1] === s.score;
        if (!repeat) severity.push([s.type, s.score, place]);
      }
      if (r.rating) ratings.push([r.rating, place]);
      for (const c of r.cweIds) cwes.add(c);
      recordOf.set(r.id, recordIds.length);
      recordIds.push(r.id);
      vulnerabilityOf.push(groupIds.length);
    });
    names.delete(group);
    const severityList = JSON.stringify(severity);
    let severityText = severityLists.get(severityList);
    if (severityText === undefined) {
      severityText = firstSeverityList + severityLists.size;
      severityLists.set(severityList, severityText);
    }
    const text: StoredDetails = [[...names].sort(), records.find((r) => r.summary)?.summary ?? null, severityText, [...cwes].sort()];
    // NVD is the third tier: a group whose records carry a CVSS vector never reaches it, and the
    // catalog keeps only what can be read.
    const hasCvss = severity.some(([type]) => type?.startsWith('CVSS_'));
    const fromNvd = nvd && !hasCvss ? [...names, group].filter((n) => n.startsWith('CVE-')).flatMap((n) => nvd.get(n) ?? []) : [];
    if (ratings.length || fromNvd.length) text.push(ratings);
    if (fromNvd.length) text.push(fromNvd);
    groupIds.push(group);
    details.push(JSON.stringify(text));
  }
  const catalog = new Catalog(PackedTexts.of([...recordIds, ...groupIds, ...details, ...severityLists.keys()]), Int32Array.from(vulnerabilityOf), groupIds.length);
  return { catalog, recordOf };
}

