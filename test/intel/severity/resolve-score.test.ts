import { describe, expect, it } from 'vitest';
import { higherRating, ratingOf, ratingScore } from '../../../src/intel/severity/qualitative.js';
import {
  type ResolvedScore,
  type ScoreCandidates,
  resolveScore,
  scoreKindOf,
  scoreSourceId,
} from '../../../src/intel/severity/resolve-score.js';
import { threatCategory } from '../../../src/intel/severity/threat-category.js';

// Real CVSS vectors and the base scores FIRST's calculators give them.
const V31_98 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V31_75 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';
const V30_98 = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V2_75 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';
const V4_53 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N';
const INVALID = 'CVSS:3.1/AV:N';

const PYSEC = 'PYSEC-2021-9';
const GHSA = 'GHSA-xxxx-yyyy-zzzz';
const GO = 'GO-2022-0001';

function candidates(c: Partial<ScoreCandidates>): ScoreCandidates {
  return { matchedBy: [PYSEC], severities: [], ratings: [], ...c };
}

type Expected = Pick<ResolvedScore, 'kind' | 'source' | 'score'> & { vector?: string; rating?: string };

const TABLE: Array<[name: string, input: ScoreCandidates, expected: Expected]> = [
  [
    'the matched record’s own vector',
    candidates({ severities: [{ type: 'CVSS_V3', score: V31_75, record: PYSEC }] }),
    { kind: 'osv', source: `osv:${PYSEC}`, score: 7.5, vector: V31_75 },
  ],
  [
    'own before borrowed, even when the borrowed one scores higher',
    candidates({ severities: [{ type: 'CVSS_V3', score: V31_98, record: GHSA }, { type: 'CVSS_V3', score: V31_75, record: PYSEC }] }),
    { kind: 'osv', source: `osv:${PYSEC}`, score: 7.5, vector: V31_75 },
  ],
  [
    'within a tier, v4 over v3.1 over v2',
    candidates({
      severities: [
        { type: 'CVSS_V2', score: V2_75, record: PYSEC },
        { type: 'CVSS_V3', score: V31_98, record: PYSEC },
        { type: 'CVSS_V4', score: V4_53, record: PYSEC },
      ],
    }),
    { kind: 'osv', source: `osv:${PYSEC}`, score: 5.3, vector: V4_53 },
  ],
  [
    'within a tier, v3.1 over v3.0, and of one version the higher score',
    candidates({
      matchedBy: [PYSEC, GO],
      severities: [
        { type: 'CVSS_V3', score: V30_98, record: PYSEC },
        { type: 'CVSS_V3', score: V31_75, record: GO },
        { type: 'CVSS_V3', score: V31_98, record: PYSEC },
      ],
    }),
    { kind: 'osv', source: `osv:${PYSEC}`, score: 9.8, vector: V31_98 },
  ],
  [
    'a record without severity borrows its alias’s vector',
    candidates({ severities: [{ type: 'CVSS_V3', score: V31_98, record: GHSA }], ratings: [{ rating: 'LOW', record: GHSA }] }),
    { kind: 'alias', source: `alias:${GHSA}`, score: 9.8, vector: V31_98 },
  ],
  [
    'an invalid own vector falls through to the alias',
    candidates({ severities: [{ type: 'CVSS_V3', score: INVALID, record: PYSEC }, { type: 'CVSS_V3', score: V31_75, record: GHSA }] }),
    { kind: 'alias', source: `alias:${GHSA}`, score: 7.5, vector: V31_75 },
  ],
  [
    'a non-CVSS severity entry (Ubuntu priority) is no vector',
    candidates({ severities: [{ type: 'Ubuntu', score: 'high', record: PYSEC }], ratings: [{ rating: 'HIGH', record: PYSEC }] }),
    { kind: 'qualitative', source: `qualitative:${PYSEC}`, score: 8.0, rating: 'HIGH' },
  ],
  [
    'NVD when no record has a vector, before any rating',
    candidates({
      ratings: [{ rating: 'CRITICAL', record: GHSA }],
      nvd: [
        { type: 'CVSS_V2', score: V2_75, cve: 'CVE-2021-1', source: 'nvd@nist.gov', primary: true },
        { type: 'CVSS_V3', score: V31_98, cve: 'CVE-2021-1', source: 'nvd@nist.gov', primary: true },
      ],
    }),
    { kind: 'nvd', source: 'nvd:CVE-2021-1', score: 9.8, vector: V31_98 },
  ],
  [
    'a record’s vector before NVD’s',
    candidates({ severities: [{ type: 'CVSS_V3', score: V31_75, record: GHSA }], nvd: [{ type: 'CVSS_V3', score: V31_98, cve: 'CVE-2021-1' }] }),
    { kind: 'alias', source: `alias:${GHSA}`, score: 7.5, vector: V31_75 },
  ],
  [
    'NVD entries that do not score fall through to a rating',
    candidates({ nvd: [{ type: 'CVSS_V3', score: INVALID, cve: 'CVE-2021-1' }], ratings: [{ rating: 'MODERATE', record: GHSA }] }),
    { kind: 'qualitative', source: `qualitative:${GHSA}`, score: 5.5, rating: 'MODERATE' },
  ],
  [
    'the matched record’s rating before another’s, however high',
    candidates({ ratings: [{ rating: 'CRITICAL', record: GHSA }, { rating: 'low', record: PYSEC }] }),
    { kind: 'qualitative', source: `qualitative:${PYSEC}`, score: 2.0, rating: 'LOW' },
  ],
  [
    'of the other records’ ratings, the highest',
    candidates({ ratings: [{ rating: 'MODERATE', record: GO }, { rating: 'HIGH', record: GHSA }, { rating: 'Low', record: 'BIT-1' }] }),
    { kind: 'qualitative', source: `qualitative:${GHSA}`, score: 8.0, rating: 'HIGH' },
  ],
  [
    'words that rate nothing leave it unscored',
    candidates({ ratings: [{ rating: 'UNKNOWN', record: GHSA }, { rating: 'untriaged', record: PYSEC }] }),
    { kind: 'unscored', source: 'unscored', score: undefined },
  ],
  ['nothing at all', candidates({}), { kind: 'unscored', source: 'unscored', score: undefined }],
];

describe('a finding’s score, tier by tier', () => {
  it.each(TABLE)('%s', (_name, input, expected) => {
    const resolved = resolveScore(input);
    expect({ kind: resolved.kind, source: resolved.source, score: resolved.score }).toEqual({ kind: expected.kind, source: expected.source, score: expected.score });
    expect(resolved.cvss?.vector).toBe(expected.vector);
    expect(resolved.rating).toBe(expected.rating);
  });

  it('names the tier and the id in its source, and reads them back', () => {
    expect(scoreKindOf('osv:PYSEC-2021-9')).toBe('osv');
    expect(scoreSourceId('alias:GHSA-xxxx-yyyy-zzzz')).toBe('GHSA-xxxx-yyyy-zzzz');
    expect(scoreKindOf('unscored')).toBe('unscored');
    expect(scoreSourceId('unscored')).toBeUndefined();
    expect(scoreKindOf('unscored:x')).toBeUndefined();
    expect(scoreKindOf('cvss:1')).toBeUndefined();
    expect(scoreKindOf(undefined)).toBeUndefined();
  });
});

describe('qualitative ratings', () => {
  it.each([
    ['CRITICAL', 9.5, 'critical'],
    ['critical', 9.5, 'critical'],
    ['HIGH', 8.0, 'severe'],
    ['MODERATE', 5.5, 'moderate'],
    ['medium', 5.5, 'moderate'],
    [' Low ', 2.0, 'low'],
    ['negligible', 0.1, 'low'],
  ])('%s counts as %s, inside its band (%s)', (word, score, category) => {
    expect(ratingScore(word)).toBe(score);
    expect(threatCategory(score)).toBe(category);
  });

  it.each(['', 'UNKNOWN', 'untriaged', 'not yet assigned', 'important'])('"%s" rates nothing', (word) => {
    expect(ratingOf(word)).toBeUndefined();
    expect(ratingScore(word)).toBeUndefined();
  });

  it('compares ratings by their scores', () => {
    expect(higherRating('LOW', 'HIGH')).toBe('HIGH');
    expect(higherRating('CRITICAL', 'HIGH')).toBe('CRITICAL');
    expect(higherRating(undefined, 'LOW')).toBe('LOW');
    expect(higherRating('MODERATE', 'MEDIUM')).toBe('MODERATE');
    expect(ratingOf(42)).toBeUndefined();
  });
});
