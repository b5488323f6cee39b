import { type CvssScore, CvssError, type CvssVersion, scoreCvss } from './cvss.js';

/** One severity entry of a vulnerability record (OSV: `{type: 'CVSS_V3', score: 'CVSS:3.1/…'}`). */
export interface SeverityEntry {
  type?: string;
  score: string;
}

export interface BestScore {
  /** The score of the newest CVSS version that scored; undefined when none did. */
  best?: CvssScore;
  /** Every entry that scored, newest version first. */
  scored: CvssScore[];
  /** Entries that were skipped, with the reason (not CVSS, or an invalid vector). */
  skipped: Array<{ entry: SeverityEntry; reason: string }>;
}

const VERSION_RANK: Record<CvssVersion, number> = { '2.0': 2, '3.0': 3, '3.1': 3.1, '4.0': 4 };

/** OSV types that carry a CVSS vector; others (e.g. Ubuntu priority words) are not scored. */
const CVSS_TYPES = new Set(['CVSS_V2', 'CVSS_V3', 'CVSS_V4']);

/**
 * The best score of a record that has several: the highest CVSS version wins (v4.0 over v3.1 over
 * v3.0 over v2), since a newer version describes the same vulnerability more precisely; within one
 * version the higher score wins, to err on the side of caution. Invalid vectors never throw: they
 * are listed in `skipped` and the next best entry is used.
 */
export function bestCvssScore(entries: readonly SeverityEntry[] | null | undefined): BestScore {
  const scored: CvssScore[] = [];
  const skipped: BestScore['skipped'] = [];
  for (const entry of entries ?? []) {
    if (!entry || typeof entry.score !== 'string') {
      skipped.push({ entry, reason: 'no score' });
      continue;
    }
    if (entry.type && !CVSS_TYPES.has(entry.type)) {
      skipped.push({ entry, reason: `type ${entry.type} is not a CVSS vector` });
      continue;
    }
    try {
      scored.push(scoreCvss(entry.score));
    } catch (err) {
      if (!(err instanceof CvssError)) throw err;
      skipped.push({ entry, reason: err.message });
    }
  }
  scored.sort(compareCvss);
  return { best: scored[0], scored, skipped };
}

/** Negative when `a` is of a newer CVSS version than `b`, 0 when of the same. */
export function compareCvssVersion(a: CvssScore, b: CvssScore): number {
  return VERSION_RANK[b.version] - VERSION_RANK[a.version];
}

/** Orders scores best first: the newer CVSS version, then the higher base score. */
export function compareCvss(a: CvssScore, b: CvssScore): number {
  return VERSION_RANK[b.version] - VERSION_RANK[a.version] || b.baseScore - a.baseScore;
}

/** The score of one entry, or undefined when it is not a CVSS vector or not a valid one (as bestCvssScore skips it). */
export function scoreEntry(entry: SeverityEntry): CvssScore | undefined {
  if (!entry || typeof entry.score !== 'string' || (entry.type && !CVSS_TYPES.has(entry.type))) return undefined;
  try {
    return scoreCvss(entry.score);
  } catch (err) {
    if (!(err instanceof CvssError)) throw err;
    return undefined;
  }
}
