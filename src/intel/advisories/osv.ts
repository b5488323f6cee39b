/**
 * OSV records (https://ossf.github.io/osv-schema/): the shapes Tollgate reads, and the checks a
 * record must pass before it is stored. A record that fails them is rejected on its own, with a
 * reason; the rest of its file is still imported (see importer.ts for what rejects a whole file).
 */
import { higherRating, type Rating, ratingOf } from '../severity/qualitative.js';
import { normalizePackageName } from './names.js';

export type OsvRangeType = 'ECOSYSTEM' | 'SEMVER' | 'GIT';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: OsvRangeType;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

/** One affected package of a record, keyed the way the index looks it up. */
export interface AffectedPackage {
  ecosystem: string;
  /** normalized for the ecosystem (names.ts) */
  name: string;
  affected: OsvAffected;
}

/** A record that passed the checks, with the fields the store keeps in columns. */
export interface Advisory {
  id: string;
  /** canonical (see canonicalTime), so that text order is time order */
  modified: string;
  published: string | null;
  withdrawn: string | null;
  summary: string | null;
  aliases: string[];
  /** the record's and its affected entries' severity vectors, without repeats */
  severity: OsvSeverity[];
  /** `CWE-79` style */
  cweIds: string[];
  /** the highest qualitative rating the record gives (recordRating), upper case */
  rating: Rating | null;
  packages: AffectedPackage[];
  record: OsvRecord;
}

export type ParseResult = { ok: true; advisory: Advisory } | { ok: false; id?: string; reason: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;
const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/i;
const RANGE_TYPES = new Set<string>(['ECOSYSTEM', 'SEMVER', 'GIT']);
const EVENT_KEYS = new Set<string>(['introduced', 'fixed', 'last_affected', 'limit']);

/**
 * An RFC 3339 time as `YYYY-MM-DDTHH:MM:SS.fffffffffZ` in UTC. OSV writers differ in fractional
 * digits (`…:33Z` vs `…:33.917972Z`), which would sort wrongly as text; this form sorts as time.
 */
export function canonicalTime(value: string): string | undefined {
  const m = TIME.exec(value);
  if (!m) return undefined;
  const [, seconds, fraction = '', zone] = m;
  let whole = `${seconds}Z`;
  if (zone.toUpperCase() !== 'Z') {
    const date = new Date(`${seconds}${zone}`);
    if (Number.isNaN(date.getTime())) return undefined;
    whole = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  } else if (Number.isNaN(Date.parse(whole))) {
    return undefined;
  }
  return `${whole.slice(0, -1)}.${fraction.slice(1).padEnd(9, '0')}Z`;
}

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalTime(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(`"${key}" is not a string`);
  return canonicalTime(value) ?? fail(`"${key}" is not an RFC 3339 time: ${value.slice(0, 40)}`);
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`"${what}" is not a list of strings`);
  return value as string[];
}

function severities(value: unknown, what: string): OsvSeverity[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`"${what}" is not a list`);
  return value.map((s) => {
    if (!isObject(s) || typeof s.type !== 'string' || typeof s.score !== 'string') {
      fail(`"${what}" entries need a "type" and a "score"`);
    }
    return { type: s.type, score: s.score };
  });
}

function checkRange(range: unknown, where: string): void {
  if (!isObject(range)) fail(`${where} is not an object`);
  if (typeof range.type !== 'string' || !RANGE_TYPES.has(range.type)) {
    fail(`${where} has unknown type ${JSON.stringify(range.type)} (ECOSYSTEM, SEMVER or GIT)`);
  }
  if (range.type === 'GIT' && typeof range.repo !== 'string') fail(`${where} is a GIT range without "repo"`);
  if (!Array.isArray(range.events) || range.events.length === 0) fail(`${where} has no events`);
  for (const event of range.events) {
    const keys = isObject(event) ? Object.keys(event) : [];
    if (keys.length !== 1 || !EVENT_KEYS.has(keys[0]) || typeof (event as Record<string, unknown>)[keys[0]] !== 'string') {
      fail(`${where} has an event that is not one of introduced, fixed, last_affected or limit: ${JSON.stringify(event)?.slice(0, 80)}`);
    }
  }
}

/** CWE ids as GitHub (`cwe_ids: ["CWE-79"]`) and some other databases (`cwes: [{cweId}]`) write them. */
function cweIds(record: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const scan = (specific: unknown) => {
    if (!isObject(specific)) return;
    const ids = Array.isArray(specific.cwe_ids) ? specific.cwe_ids : [];
    const cwes = Array.isArray(specific.cwes) ? specific.cwes.map((c) => (isObject(c) ? c.cweId : undefined)) : [];
    for (const id of [...ids, ...cwes]) {
      const m = typeof id === 'string' ? /^(?:CWE-)?(\d+)$/i.exec(id.trim()) : null;
      if (m) found.add(`CWE-${m[1]}`);
    }
  };
  scan(record.database_specific);
  for (const a of Array.isArray(record.affected) ? record.affected : []) scan(isObject(a) ? a.database_specific : undefined);
  return [...found].sort();
}

/**
 * The highest qualitative rating a record gives, wherever its database writes one: GitHub's and
 * Bitnami's `database_specific.severity`, OSS-Fuzz's `affected[].ecosystem_specific.severity`, an
 * affected entry's `database_specific.severity`, and `Ubuntu` severity entries (intel/severity/
 * qualitative.ts lists the words). Never throws: what is not a known word rates nothing.
 */
export function recordRating(record: unknown): Rating | undefined {
  if (!isObject(record)) return undefined;
  let best: Rating | undefined;
  const ubuntu = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const s of list) if (isObject(s) && s.type === 'Ubuntu') best = higherRating(best, ratingOf(s.score));
  };
  const specific = (value: unknown) => {
    if (isObject(value)) best = higherRating(best, ratingOf(value.severity));
  };
  specific(record.database_specific);
  ubuntu(record.severity);
  for (const a of Array.isArray(record.affected) ? record.affected : []) {
    if (!isObject(a)) continue;
    specific(a.database_specific);
    specific(a.ecosystem_specific);
    ubuntu(a.severity);
  }
  return best;
}

function check(value: unknown): Advisory {
  if (!isObject(value)) fail('not a JSON object');
  const id = value.id;
  if (typeof id !== 'string' || !ID.test(id)) fail(`"id" is missing or not an OSV id: ${JSON.stringify(id)?.slice(0, 60)}`);
  if (typeof value.modified !== 'string') fail('"modified" is missing');
  const modified = optionalTime(value, 'modified')!;
  const published = optionalTime(value, 'published');
  const withdrawn = optionalTime(value, 'withdrawn');
  // Hand-written databases slip (PyPA has `"GHSA-jf66-3q76-h5p5,"`): trim stray punctuation and
  // drop what is still not an id, rather than lose the record.
  const aliases = [...new Set(stringList(value.aliases, 'aliases').map((a) => a.trim().replace(/[\s,;.]+$/, '')))].filter(
    (a) => a !== id && ID.test(a),
  );
  stringList(value.related, 'related');
  if (value.summary !== undefined && typeof value.summary !== 'string') fail('"summary" is not a string');
  if (value.details !== undefined && typeof value.details !== 'string') fail('"details" is not a string');

  const severity = severities(value.severity, 'severity');
  const packages: AffectedPackage[] = [];
  if (value.affected !== undefined && !Array.isArray(value.affected)) fail('"affected" is not a list');
  const affectedList = (value.affected ?? []) as unknown[];
  affectedList.forEach((affected, i) => {
    const where = `affected[${i}]`;
    if (!isObject(affected)) fail(`${where} is not an object`);
    if (affected.ranges !== undefined && !Array.isArray(affected.ranges)) fail(`${where}.ranges is not a list`);
    ((affected.ranges ?? []) as unknown[]).forEach((r, j) => {
      checkRange(r, `${where}.ranges[${j}]`);
    });
    stringList(affected.versions, `${where}.versions`);
    severity.push(...severities(affected.severity, `${where}.severity`));
    const pkg = affected.package;
    if (pkg === undefined) return; // e.g. a GIT-only entry: nothing to look a component up by
    if (!isObject(pkg) || typeof pkg.ecosystem !== 'string' || !pkg.ecosystem || typeof pkg.name !== 'string' || !pkg.name) {
      fail(`${where}.package needs an "ecosystem" and a "name"`);
    }
    packages.push({
      ecosystem: pkg.ecosystem,
      name: normalizePackageName(pkg.ecosystem, pkg.name),
      affected: affected as OsvAffected,
    });
  });
  const seen = new Set<string>();
  return {
    id,
    modified,
    published,
    withdrawn,
    summary: typeof value.summary === 'string' ? value.summary : null,
    aliases,
    severity: severity.filter((s) => !seen.has(`${s.type}|${s.score}`) && seen.add(`${s.type}|${s.score}`)),
    cweIds: cweIds(value),
    rating: recordRating(value) ?? null,
    packages,
    record: value as unknown as OsvRecord,
  };
}

/** Checks one parsed JSON value as an OSV record. Never throws. */
export function toAdvisory(value: unknown): ParseResult {
  try {
    return { ok: true, advisory: check(value) };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const id = isObject(value) && typeof value.id === 'string' ? value.id.slice(0, 128) : undefined;
    return { ok: false, id, reason: err.message };
  }
}
