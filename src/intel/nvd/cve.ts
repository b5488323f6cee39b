/**
 * One NVD CVE API 2.0 `cve` object (the element of `vulnerabilities[].cve`) → what Tollgate keeps
 * of it: CVSS vectors with who assessed them, CWE ids, the English description and references.
 * CPE configurations are not kept: Tollgate matches components by OSV's package ranges.
 *
 * A CVE NVD marks `Rejected` (its CNA withdrew it: a duplicate, not a vulnerability, …) is kept,
 * so that a rejection replaces what was stored before, but with no severity and no CWE ids: a
 * rejected CVE must never score anything. Its description (the reason) and references stay.
 */
import { canonicalTime } from '../advisories/osv.js';
import { CvssError, validateCvssVector } from '../severity/cvss.js';
import { normalizeCweId } from '../severity/cwe.js';

/** OSV's severity types, which NVD's vectors are filed under. */
export type NvdSeverityType = 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4';

export interface NvdSeverity {
  type: NvdSeverityType;
  /** the vector as intel/severity/cvss.ts scores it (v2 without prefix, as NVD writes it) */
  score: string;
  /** who assessed it, as NVD names the metric's source: `nvd@nist.gov`, or a CNA's address */
  source: string;
  /** NVD's `Primary` assessment (NVD's own, or the CNA's when NVD has not assessed it) */
  primary: boolean;
}

export interface NvdReference {
  url: string;
  source?: string;
  tags?: string[];
}

/** A CVE as stored. */
export interface NvdCve {
  id: string;
  published: string | null;
  lastModified: string;
  status: string | null;
  severity: NvdSeverity[];
  cweIds: string[];
  description: string | null;
  references: NvdReference[];
}

/** A vector NVD published that is not a valid CVSS vector: left out, and listed in the import's detail. */
export interface InvalidVector {
  id: string;
  vector: string;
  reason: string;
}

export type CveParse = { ok: true; cve: NvdCve; invalidVectors: InvalidVector[] } | { ok: false; id?: string; reason: string };

export const REJECTED_STATUS = 'Rejected';

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** NVD's metric lists, newest CVSS version first. */
const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;

const TYPE_OF_VERSION: Record<string, NvdSeverityType> = { '2.0': 'CVSS_V2', '3.0': 'CVSS_V3', '3.1': 'CVSS_V3', '4.0': 'CVSS_V4' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** NVD writes UTC times without a zone (`2021-07-02T10:15:07.653`); stored in the advisories' canonical form. */
export function nvdTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return canonicalTime(/(Z|[+-]\d\d:\d\d)$/i.test(text) ? text : `${text}Z`);
}

function severities(id: string, metrics: unknown, invalid: InvalidVector[]): NvdSeverity[] {
  if (!isObject(metrics)) return [];
  const out: NvdSeverity[] = [];
  for (const key of METRIC_KEYS) {
    // NVD's own (Primary) assessment before a CNA's (Secondary) of the same CVSS version.
    const ordered = list(metrics[key]).filter(isObject).sort((a, b) => Number(b.type === 'Primary') - Number(a.type === 'Primary'));
    for (const metric of ordered) {
      if (!isObject(metric.cvssData)) continue;
      const raw = metric.cvssData.vectorString;
      if (typeof raw !== 'string') continue;
      try {
        const { version, vector } = validateCvssVector(raw);
        const source = typeof metric.source === 'string' ? metric.source : 'unknown';
        if (!out.some((s) => s.score === vector && s.source === source)) {
          out.push({ type: TYPE_OF_VERSION[version], score: vector, source, primary: metric.type === 'Primary' });
        }
      } catch (err) {
        if (!(err instanceof CvssError)) throw err;
        invalid.push({ id, vector: raw.slice(0, 200), reason: err.message });
      }
    }
  }
  return out;
}

function cweIds(weaknesses: unknown): string[] {
  const out: string[] = [];
  for (const weakness of list(weaknesses)) {
    if (!isObject(weakness)) continue;
    for (const d of list(weakness.description)) {
      // Only CWE-n: NVD-CWE-Other and NVD-CWE-noinfo say that no CWE applies or is known.
      const value = isObject(d) && typeof d.value === 'string' && /^CWE-\d+$/i.test(d.value.trim()) ? normalizeCweId(d.value) : undefined;
      if (value && !out.includes(value)) out.push(value);
    }
  }
  return out;
}

function englishDescription(descriptions: unknown): string | null {
  for (const d of list(descriptions)) {
    if (isObject(d) && d.lang === 'en' && typeof d.value === 'string' && d.value.trim()) return d.value.trim();
  }
  return null;
}

function references(value: unknown): NvdReference[] {
  const out: NvdReference[] = [];
  for (const r of list(value)) {
    if (!isObject(r) || typeof r.url !== 'string' || !r.url.trim()) continue;
    const ref: NvdReference = { url: r.url.trim() };
    if (typeof r.source === 'string') ref.source = r.source;
    const tags = list(r.tags).filter((t): t is string => typeof t === 'string');
    if (tags.length) ref.tags = tags;
    out.push(ref);
  }
  return out;
}

/** Reads one `cve` object; a record without a CVE id or a valid lastModified is refused with the reason. */
export function parseCve(value: unknown): CveParse {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const rawId = typeof value.id === 'string' ? value.id.trim().toUpperCase() : undefined;
  if (!rawId) return { ok: false, reason: '"id" is missing' };
  if (!CVE_ID.test(rawId)) return { ok: false, id: rawId.slice(0, 60), reason: '"id" is not a CVE id (CVE-YYYY-NNNN)' };
  const lastModified = nvdTime(value.lastModified);
  if (!lastModified) return { ok: false, id: rawId, reason: '"lastModified" is missing or not a time' };
  const published = nvdTime(value.published) ?? null;
  const description = englishDescription(value.descriptions);
  // Before NVD had a status for it, a rejection was written into the description.
  const rejected = value.vulnStatus === REJECTED_STATUS || /^\*\* REJECT \*\*/.test(description ?? '');
  const status = rejected ? REJECTED_STATUS : typeof value.vulnStatus === 'string' ? value.vulnStatus : null;
  const invalidVectors: InvalidVector[] = [];
  const cve: NvdCve = {
    id: rawId,
    published,
    lastModified,
    status,
    severity: rejected ? [] : severities(rawId, value.metrics, invalidVectors),
    cweIds: rejected ? [] : cweIds(value.weaknesses),
    description,
    references: references(value.references),
  };
  return { ok: true, cve, invalidVectors };
}
