/**
 * The score of one finding, and where it came from. Most OSV records carry no CVSS vector (no GO-
 * record does, most PYSEC ones do not), and a finding without a score meets none of the score-based
 * Security-* policies; so the score is looked for tier by tier, the first tier that yields one wins:
 *
 * 1. `osv`: a CVSS vector of a record that matched the component;
 * 2. `alias`: a CVSS vector of another record of the same vulnerability (its alias group: GHSA ↔
 *    CVE ↔ PYSEC ↔ GO …);
 * 3. `nvd`: NVD's CVSS of the vulnerability's CVE ids;
 * 4. `qualitative`: a rating word a record gives (qualitative.ts), matched records' before the
 *    others', the highest first, counted as its band's representative score;
 * 5. `unscored`: nothing scores it.
 *
 * Within a CVSS tier the newest CVSS version wins (v4.0 > v3.1 > v3.0 > v2), then the higher base
 * score; an invalid vector is passed over. The source is written `<tier>:<id>` — `osv:PYSEC-2021-9`,
 * `alias:GHSA-xxxx-xxxx-xxxx`, `nvd:CVE-2021-1234`, `qualitative:GHSA-xxxx-xxxx-xxxx` — or
 * `unscored`: reports, exports and the reference DTOs' `cvssVectorSource` show it as it is.
 *
 * Pure: callers memoize per distinct input (evaluation/vulnerabilities.ts).
 */
import { compareCvss, compareCvssVersion, type SeverityEntry, scoreEntry } from './best-score.js';
import type { CvssScore } from './cvss.js';
import { type Rating, higherRating, ratingOf, ratingScore } from './qualitative.js';

/** A severity entry (OSV's `{type, score}`) and the id of the record that carries it. */
export interface RecordSeverity extends SeverityEntry {
  record: string;
}

/** A record's qualitative rating (`HIGH`, `moderate`, …) and the record's id. */
export interface RecordRating {
  rating: string;
  record: string;
}

/** NVD's CVSS of a CVE, as NVD lists them (`CVSS_V2` / `CVSS_V3` / `CVSS_V4` and the vector). */
export interface NvdSeverity extends SeverityEntry {
  cve: string;
  /** who scored it: `nvd@nist.gov` or a CNA */
  source?: string;
  primary?: boolean;
}

/** What a vulnerability offers to score it with: the index's catalog holds these per alias group. */
export interface VulnerabilityScoring {
  /** every CVSS (and other) severity entry of the group's records, each naming its record */
  readonly severities: readonly RecordSeverity[];
  /** the qualitative rating of each record that gives one */
  readonly ratings: readonly RecordRating[];
  /** NVD's CVSS of the group's CVE ids, once NVD data is imported */
  readonly nvd?: readonly NvdSeverity[];
}

/** The scoring of a vulnerability and the records that matched the component: everything a finding's score depends on. */
export interface ScoreCandidates extends VulnerabilityScoring {
  matchedBy: readonly string[];
}

export const SCORE_KINDS = ['osv', 'alias', 'nvd', 'qualitative', 'unscored'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

export const UNSCORED = 'unscored';

export interface ResolvedScore {
  kind: ScoreKind;
  /** `<kind>:<id>` or `unscored` (see the module comment) */
  source: string;
  /** the score policies compare, 0–10; undefined when unscored */
  score?: number;
  /** the CVSS score the tier chose (osv, alias, nvd) */
  cvss?: CvssScore;
  /** the rating word the score stands for (qualitative) */
  rating?: Rating;
}

/** The best CVSS among entries, with the entry that gave it; undefined when none scores. */
function bestOf<T extends SeverityEntry>(entries: readonly T[], wanted: (entry: T) => boolean): { entry: T; cvss: CvssScore } | undefined {
  let best: { entry: T; cvss: CvssScore } | undefined;
  for (const entry of entries) {
    if (!wanted(entry)) continue;
    const cvss = scoreEntry(entry);
    if (cvss && (!best || compareCvss(cvss, best.cvss) < 0)) best = { entry, cvss };
  }
  return best;
}

/**
 * NVD's best: the newest CVSS version, then NVD's primary assessment over a secondary one (a CNA's
 * beside NVD's own), then the higher score — the order vulnerability details list them in.
 */
function bestNvd(entries: readonly NvdSeverity[]): { entry: NvdSeverity; cvss: CvssScore } | undefined {
  let best: { entry: NvdSeverity; cvss: CvssScore } | undefined;
  for (const entry of entries) {
    const cvss = scoreEntry(entry);
    if (!cvss) continue;
    const order = best ? compareCvssVersion(cvss, best.cvss) || Number(best.entry.primary ?? false) - Number(entry.primary ?? false) || compareCvss(cvss, best.cvss) : -1;
    if (order < 0) best = { entry, cvss };
  }
  return best;
}

/** The highest rating among those wanted; the first of equals. */
function bestRating(ratings: readonly RecordRating[], wanted: (r: RecordRating) => boolean): { rating: Rating; record: string } | undefined {
  let best: { rating: Rating; record: string } | undefined;
  for (const r of ratings) {
    const rating = wanted(r) ? ratingOf(r.rating) : undefined;
    if (rating !== undefined && higherRating(best?.rating, rating) !== best?.rating) best = { rating, record: r.record };
  }
  return best;
}

function cvssScore(kind: 'osv' | 'alias' | 'nvd', id: string, cvss: CvssScore): ResolvedScore {
  return { kind, source: `${kind}:${id}`, score: cvss.baseScore, cvss, rating: undefined };
}

/** The score of a finding by the tiers of the module comment. */
export function resolveScore(candidates: ScoreCandidates): ResolvedScore {
  const { matchedBy, severities, ratings, nvd } = candidates;
  const matched = (e: { record: string }) => matchedBy.includes(e.record);
  const other = (e: { record: string }) => !matchedBy.includes(e.record);
  const own = bestOf(severities, matched);
  if (own) return cvssScore('osv', own.entry.record, own.cvss);
  const borrowed = bestOf(severities, other);
  if (borrowed) return cvssScore('alias', borrowed.entry.record, borrowed.cvss);
  const fromNvd = nvd?.length ? bestNvd(nvd) : undefined;
  if (fromNvd) return cvssScore('nvd', fromNvd.entry.cve, fromNvd.cvss);
  const rated = bestRating(ratings, matched) ?? bestRating(ratings, other);
  if (rated) return { kind: 'qualitative', source: `qualitative:${rated.record}`, score: ratingScore(rated.rating), cvss: undefined, rating: rated.rating };
  return { kind: 'unscored', source: UNSCORED, score: undefined, cvss: undefined, rating: undefined };
}

/** The tier a source names (`alias:GHSA-…` → alias); undefined for a text that is not a source. */
export function scoreKindOf(source: string | undefined): ScoreKind | undefined {
  if (source === UNSCORED) return 'unscored';
  const colon = source?.indexOf(':') ?? -1;
  const kind = colon > 0 ? source!.slice(0, colon) : undefined;
  return kind && kind !== UNSCORED && (SCORE_KINDS as readonly string[]).includes(kind) ? (kind as ScoreKind) : undefined;
}

/** The id a source names (`alias:GHSA-…` → GHSA-…); undefined for unscored. */
export function scoreSourceId(source: string | undefined): string | undefined {
  const colon = source?.indexOf(':') ?? -1;
  return colon > 0 ? source!.slice(colon + 1) : undefined;
}
