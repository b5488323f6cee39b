import { promisify } from 'node:util';
import { type Gzip, createGzip, gunzip } from 'node:zlib';
import { vulnerabilityLink } from '../intel/vulnerability-sources.js';
import type { UnknownFact } from '../policy/facts.js';
import type { ReportComponent, ReportCondition, ReportData, ReportSecurityIssue, ReportSummary, ReportViolation } from './report.js';

/**
 * How a report is stored: a compact JSON form of ReportData, gzipped.
 *
 * A heavy report (10,000 components, 40,000 findings, 11,000 violations) is ~39 MiB as plain
 * ReportData JSON, most of it repetition: the same vulnerability described once per affected
 * component, the same license data on thousands of components, and every violation condition
 * spelling out its keys, policy and summary. The stored form keeps each of those once in a table
 * and refers to it by position (violations and issues become tuples), which makes the JSON about a
 * third of the size and lets gzip (level 1: fast, most of the gain) take it to a few MiB. Reading
 * expands it back into ReportData, so no consumer sees the difference.
 */

/** Written; version 2 (components as objects) is still read. */
const STORED_VERSION = 3;
const READABLE_VERSIONS: readonly number[] = [2, 3];
/** Fast compression: the report is written on every evaluation, in the evaluation's time. */
const GZIP_LEVEL = 1;
/** Where a reason template names its condition's reference (a character no reason contains). */
const REFERENCE_MARK = '\u0000';

/** Components (or table entries) compacted, written and handed to zlib at a time. */
const ITEMS_PER_WRITE = 500;
/**
 * zlib's output buffer. With the default 16 KiB, every 16 KiB of output is a round trip through
 * the main thread, which is busy writing the next batch, so compression mostly waited for the end;
 * with room for most of a report, a batch is compressed in one go on the thread pool.
 */
const OUTPUT_CHUNK = 4 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);

type Vulnerability = [
  reference: string,
  aliases: readonly string[],
  source: string,
  /** null: the usual link of the reference (vulnerabilityLink). */
  url: string | null,
  severity: number | null,
  cvssVector: string | null,
  threatCategory: string | null,
  cwe: string | null,
  summary: string | null,
  /** Appended later: absent in reports stored before (read as scoreSourceOf says). */
  scoreSource?: string | null,
  scoreRating?: string | null,
];
type Issue = [vulnerability: number, status: string, fixVersion: string | null, analysis?: ReportSecurityIssue['analysis']];
type Policy = [policyId: string, policyName: string, threatLevel: number, threatCategory: string];
type Constraint = [constraintId: string, constraintName: string];
/**
 * A kind of condition fact: its summary, its reason and its reference type as positions in
 * `texts`. A reason that names its reference (the vulnerability id, mostly) is stored with the id
 * cut out (REFERENCE_MARK in its place), so that the reasons of one condition about different
 * vulnerabilities (with the same severity, say) are one kind.
 */
type ConditionKind = [summary: number, reason: number, referenceType?: number];
/** A condition fact: its kind, and the reference value its reason names. */
type Condition = [kind: number, referenceValue?: string];
type Violation = [id: string, policy: number, waived: 0 | 1, action: string | null, constraints: Array<[constraint: number, conditions: Condition[]]>];

/** A component in version 2: its own fields by name, and its licenses, issues and violations. */
type ComponentObject = Omit<ReportComponent, 'securityIssues' | 'violations' | 'licenseData'> & {
  licenses: number;
  issues: Issue[];
  violations: Violation[];
};
/**
 * A component in version 3: licenses, issues and violations, then the values of COMPONENT_FIELDS
 * in their order (null: absent). Field names spelled out ten thousand times were a fifth of the text.
 */
type ComponentTuple = [licenses: number, issues: Issue[], violations: Violation[], ...fields: unknown[]];

interface StoredReport {
  version: number;
  summary: ReportSummary;
  graph?: ReportData['graph'];
  vulnerabilities: Vulnerability[];
  licenseData: ReportComponent['licenseData'][];
  policies: Policy[];
  constraints: Constraint[];
  conditionKinds: ConditionKind[];
  /** Condition summaries, reason templates and reference types. */
  texts: string[];
  /** Distinct lists of unknown facts: components and their policies not evaluated name them by position. */
  unknownFactSets?: Array<readonly UnknownFact[]>;
  components: Array<ComponentTuple | ComponentObject>;
}

/**
 * The fields of a component stored as they are (the others are stored by position in a table). Their
 * order is part of the stored form (version 3): add new ones at the end, never reorder.
 */
const COMPONENT_FIELDS = [
  'hash',
  'sha256',
  'componentIdentifier',
  'packageUrl',
  'originalPurl',
  'displayName',
  'matchState',
  'identificationSource',
  'proprietary',
  'cpe',
  'dependency',
  'labelIds',
  'ageInDays',
  'isLatest',
  'versionDistance',
  'licenseSource',
  // Stored by position: in unknownFactSets, and [policy, unknownFactSets position] pairs.
  'unknownFacts',
  'policiesNotEvaluated',
] as const satisfies ReadonlyArray<keyof ReportComponent>;
/** A ReportComponent field missing from COMPONENT_FIELDS would go unstored: this fails to compile then. */
const EVERY_FIELD_STORED: Exclude<keyof ReportComponent, (typeof COMPONENT_FIELDS)[number] | 'securityIssues' | 'violations' | 'licenseData'> extends never
  ? true
  : never = true;
void EVERY_FIELD_STORED;

/** Positions of distinct values, by a key: each value is stored once. */
class Table<T> {
  readonly values: T[] = [];
  private readonly index = new Map<unknown, number>();
  /** The position of the value under `key`, or undefined when there is none yet. */
  find(key: unknown): number | undefined {
    return this.index.get(key);
  }
  /** Stores a value under `key` (and more keys, when given) and returns its position. */
  insert(value: T, ...keys: unknown[]): number {
    const i = this.values.push(value) - 1;
    for (const key of keys) this.index.set(key, i);
    return i;
  }
  /** The position of a value that is its own key (texts). */
  add(value: T): number {
    return this.find(value) ?? this.insert(value, value);
  }
}

/** What makes condition facts one kind: summary, reason with the reference cut out, reference type. */
interface Kind {
  summary: string;
  template: string;
  type?: string;
}

/**
 * The kind of each condition fact, one object per distinct kind: the policy engine hands out one
 * condition object per vulnerability and condition, scan after scan, so each is classified once,
 * and a report then finds a kind's position by the object. Bounded: past the limit it starts over.
 */
const kindOfCondition = new WeakMap<ReportCondition, Kind>();
const kinds = new Map<string, Kind>();
const MAX_KINDS = 50_000;

function kindOf(f: ReportCondition): Kind {
  let kind = kindOfCondition.get(f);
  if (kind) return kind;
  const template = f.reference && !f.reason.includes(REFERENCE_MARK) ? f.reason.replace(f.reference.value, REFERENCE_MARK) : f.reason;
  const key = `${f.summary}${REFERENCE_MARK}${template}${REFERENCE_MARK}${f.reference?.type ?? ''}`;
  kind = kinds.get(key);
  if (!kind) {
    template.charCodeAt(0); // flat (see policy/engine.ts): it is kept
    kind = f.reference ? { summary: f.summary, template, type: f.reference.type } : { summary: f.summary, template };
    if (kinds.size >= MAX_KINDS) kinds.clear();
    kinds.set(key, kind);
  }
  kindOfCondition.set(f, kind);
  return kind;
}

/** ReportData → the stored form, gzipped. */
export async function encodeReport(data: ReportData): Promise<Buffer> {
  const compactor = new Compactor();
  const gzip = createGzip({ level: GZIP_LEVEL, chunkSize: OUTPUT_CHUNK });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.once('end', resolve);
    gzip.once('error', reject);
  });
  // Components first, a batch at a time (the tables they fill are written last): zlib compresses
  // one batch on libuv's thread pool while the next is written here, and the whole JSON text is
  // never in memory at once.
  await writeList(gzip, '{"components":[', data.components, (c) => JSON.stringify(compactor.component(c)));
  // The vulnerability table is most of the tables (4 MiB in a heavy report): written in batches
  // too, rather than as one text to slice.
  const { vulnerabilities, ...tables } = compactor.tables(data);
  await writeList(gzip, '],"vulnerabilities":[', vulnerabilities, (v) => JSON.stringify(v));
  gzip.end(`],${JSON.stringify(tables).slice(1)}`);
  await done;
  return Buffer.concat(out);
}

/** Writes `opening` and the items' texts, comma-separated, a batch at a time, yielding between batches. */
async function writeList<T>(gzip: Gzip, opening: string, items: readonly T[], text: (item: T) => string): Promise<void> {
  gzip.write(opening);
  for (let i = 0; i < items.length; i += ITEMS_PER_WRITE) {
    const batch = items.slice(i, i + ITEMS_PER_WRITE).map(text).join(',');
    gzip.write(i ? `,${batch}` : batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A report written as plain ReportData JSON before the stored form existed; its conditions then
 * named their fields `conditionSummary` and `conditionReason`.
 */
export function decodeLegacyReport(text: string): ReportData {
  const data = JSON.parse(text) as ReportData;
  for (const c of data.components) {
    for (const v of c.violations) {
      for (const k of v.constraints) {
        k.conditions = k.conditions.map((f) => {
          const old = f as unknown as { conditionSummary: string; conditionReason: string; reference?: { type: string; value: string } };
          return old.reference ? { summary: old.conditionSummary, reason: old.conditionReason, reference: old.reference } : { summary: old.conditionSummary, reason: old.conditionReason };
        });
      }
    }
  }
  return data;
}

/** The stored form (gzipped) → ReportData. */
export async function decodeReport(stored: Uint8Array): Promise<ReportData> {
  const text = (await gunzipAsync(stored)).toString('utf8');
  const parsed = JSON.parse(text) as StoredReport;
  if (!READABLE_VERSIONS.includes(parsed.version)) throw new Error(`Stored report version ${String(parsed.version)} is not one this Tollgate reads`);
  return expand(parsed);
}


/** ReportData → the stored form, a component at a time: the tables fill as components refer to them. */
class Compactor {
  private readonly vulnerabilities = new Table<Vulnerability>();
  private readonly licenseData = new Table<ReportComponent['licenseData']>();
  private readonly policies = new Table<Policy>();
  private readonly constraints = new Table<Constraint>();
  private readonly conditionKinds = new Table<ConditionKind>();
  private readonly texts = new Table<string>();
  private readonly unknownFactSets = new Table<readonly UnknownFact[]>();

  component(c: ReportComponent): ComponentTuple {
    const tuple: ComponentTuple = [this.licensesOf(c.licenseData), c.securityIssues.map((s) => this.issueOf(s)), c.violations.map((x) => this.violationOf(x))];
    for (const key of COMPONENT_FIELDS) {
      if (key === 'unknownFacts') tuple.push(c.unknownFacts ? this.unknownSetOf(c.unknownFacts) : null);
      else if (key === 'policiesNotEvaluated') {
        tuple.push(c.policiesNotEvaluated?.map((n) => [this.policyOf(n.policyId, n.policyName, n.policyThreatLevel, n.policyThreatCategory), this.unknownSetOf(n.unknownFacts)]) ?? null);
      } else tuple.push(c[key] ?? null);
    }
    return tuple;
  }

  // Evaluations share the lists between components; a report read back shares them too, else its JSON finds them.
  private unknownSetOf(list: readonly UnknownFact[]): number {
    const same = this.unknownFactSets.find(list);
    if (same !== undefined) return same;
    const json = JSON.stringify(list);
    const equal = this.unknownFactSets.find(json);
    if (equal !== undefined) return equal;
    return this.unknownFactSets.insert(list, list, json);
  }

  private policyOf(id: string, name: string, threatLevel: number, threatCategory: string): number {
    return this.policies.find(id) ?? this.policies.insert([id, name, threatLevel, threatCategory], id);
  }

  /** Everything but the components, once they have all been compacted. */
  tables(data: ReportData): Omit<StoredReport, 'components'> {
    const out: Omit<StoredReport, 'components'> = {
      version: STORED_VERSION,
      summary: data.summary,
      vulnerabilities: this.vulnerabilities.values,
      licenseData: this.licenseData.values,
      policies: this.policies.values,
      constraints: this.constraints.values,
      conditionKinds: this.conditionKinds.values,
      texts: this.texts.values,
    };
    if (this.unknownFactSets.values.length) out.unknownFactSets = this.unknownFactSets.values;
    if (data.graph) out.graph = data.graph;
    return out;
  }

  // Evaluations share one license data object between components with the same licenses; a
  // report read back has copies, found by their JSON.
  private licensesOf(l: ReportComponent['licenseData']): number {
    const same = this.licenseData.find(l);
    if (same !== undefined) return same;
    const json = JSON.stringify(l);
    const equal = this.licenseData.find(json);
    if (equal !== undefined) return equal;
    return this.licenseData.insert(l, l, json);
  }

  private issueOf(s: ReportSecurityIssue): Issue {
    // An issue's description is mostly the same on every component; status, fix and analysis are
    // the component's own. Its score may differ where different records matched (a record's own
    // CVSS comes first): such a description is stored again, under a key that names the score.
    let v = this.vulnerabilities.find(s.reference);
    if (v !== undefined && !sameScore(this.vulnerabilities.values[v], s)) {
      const key = `${s.reference}\u0000${s.scoreSource ?? ''}\u0000${s.severity ?? ''}\u0000${s.cvssVector ?? ''}\u0000${s.scoreRating ?? ''}`;
      v = this.vulnerabilities.find(key) ?? this.vulnerabilities.insert(this.describe(s), key);
    }
    v ??= this.vulnerabilities.insert(this.describe(s), s.reference);
    const issue: Issue = [v, s.status, s.fixVersion ?? null];
    if (s.analysis) issue.push(s.analysis);
    return issue;
  }

  private describe(s: ReportSecurityIssue): Vulnerability {
    const v: Vulnerability = [
      s.reference,
      s.aliases,
      s.source,
      s.url === vulnerabilityLink(s.reference) ? null : s.url,
      s.severity ?? null,
      s.cvssVector ?? null,
      s.threatCategory ?? null,
      s.cwe ?? null,
      s.summary ?? null,
      s.scoreSource ?? null,
    ];
    if (s.scoreRating) v.push(s.scoreRating);
    return v;
  }

  private conditionOf(f: ReportCondition): Condition {
    const kind = kindOf(f);
    let k = this.conditionKinds.find(kind);
    if (k === undefined) {
      const stored: ConditionKind = [this.texts.add(kind.summary), this.texts.add(kind.template)];
      if (kind.type !== undefined) stored.push(this.texts.add(kind.type));
      k = this.conditionKinds.insert(stored, kind);
    }
    return f.reference ? [k, f.reference.value] : [k];
  }

  private violationOf(x: ReportViolation): Violation {
    return [
      x.policyViolationId,
      this.policyOf(x.policyId, x.policyName, x.policyThreatLevel, x.policyThreatCategory),
      x.waived ? 1 : 0,
      x.action ?? null,
      x.constraints.map((k) => [
        this.constraints.find(k.constraintId) ?? this.constraints.insert([k.constraintId, k.constraintName], k.constraintId),
        k.conditions.map((f) => this.conditionOf(f)),
      ]),
    ];
  }
}

/** Whether a stored description carries the issue's score. */
function sameScore(v: Vulnerability, s: ReportSecurityIssue): boolean {
  return v[4] === (s.severity ?? null) && v[5] === (s.cvssVector ?? null) && (v[9] ?? null) === (s.scoreSource ?? null) && (v[10] ?? null) === (s.scoreRating ?? null);
}

/** A version 3 component tuple → the version 2 object (fields stored by position read back from their tables). */
function fromTuple([licenses, issues, violations, ...values]: ComponentTuple, stored: StoredReport): ComponentObject {
  const out: Record<string, unknown> = { licenses, issues, violations };
  COMPONENT_FIELDS.forEach((key, i) => {
    const value = values[i];
    if (value === null || value === undefined) return;
    if (key === 'unknownFacts') out[key] = stored.unknownFactSets?.[value as number];
    else if (key === 'policiesNotEvaluated') {
      out[key] = (value as Array<[number, number]>).map(([p, u]) => {
        const [policyId, policyName, policyThreatLevel, policyThreatCategory] = stored.policies[p];
        return { policyId, policyName, policyThreatLevel, policyThreatCategory, unknownFacts: stored.unknownFactSets?.[u] ?? [] };
      });
    } else out[key] = value;
  });
  return out as ComponentObject;
}

function expand(stored: StoredReport): ReportData {
  const components = stored.components.map((entry): ReportComponent => {
    const { issues, violations, licenses, ...rest } = Array.isArray(entry) ? fromTuple(entry, stored) : entry;
    return {
      ...rest,
      licenseData: stored.licenseData[licenses],
      securityIssues: issues.map(([v, status, fixVersion, analysis]) => {
        const [reference, aliases, source, url, severity, cvssVector, threatCategory, cwe, summary, scoreSource, scoreRating] = stored.vulnerabilities[v];
        const issue: ReportSecurityIssue = { reference, aliases, source, url: url ?? vulnerabilityLink(reference), status };
        if (severity !== null) issue.severity = severity;
        if (cvssVector !== null) issue.cvssVector = cvssVector;
        if (scoreSource) issue.scoreSource = scoreSource;
        if (scoreRating) issue.scoreRating = scoreRating;
        if (threatCategory !== null) issue.threatCategory = threatCategory;
        if (cwe !== null) issue.cwe = cwe;
        if (fixVersion !== null) issue.fixVersion = fixVersion;
        if (summary !== null) issue.summary = summary;
        if (analysis) issue.analysis = analysis;
        return issue;
      }),
      violations: violations.map(([id, p, waived, action, constraints]) => {
        const [policyId, policyName, policyThreatLevel, policyThreatCategory] = stored.policies[p];
        const violation: ReportViolation = {
          policyViolationId: id,
          policyId,
          policyName,
          policyThreatLevel,
          policyThreatCategory,
          waived: waived === 1,
          constraints: constraints.map(([k, conditions]) => {
            const [constraintId, constraintName] = stored.constraints[k];
            return {
              constraintId,
              constraintName,
              conditions: conditions.map(([k, value]) => {
                const [s, r, type] = stored.conditionKinds[k];
                const summary = stored.texts[s];
                if (type === undefined || value === undefined) return { summary, reason: stored.texts[r] };
                // A function, so that `$` in an id is not read as a replacement pattern.
                const reason = stored.texts[r].replace(REFERENCE_MARK, () => value);
                return { summary, reason, reference: { type: stored.texts[type], value } };
              }),
            };
          }),
        };
        if (action !== null) violation.action = action as ReportViolation['action'];
        return violation;
      }),
    };
  });
  const data: ReportData = { version: 1, components, summary: stored.summary };
  if (stored.graph) data.graph = stored.graph;
  return data;
}
