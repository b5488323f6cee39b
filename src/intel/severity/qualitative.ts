/**
 * Qualitative severity ratings: the words databases give instead of (or beside) a CVSS vector, and
 * the score Tollgate counts each as, so that a rated vulnerability still meets the score-based
 * Security-* policies.
 *
 * Words found in OSV data: GitHub's `database_specific.severity` (CRITICAL, HIGH, MODERATE, LOW),
 * OSS-Fuzz's `affected[].ecosystem_specific.severity` (CRITICAL, HIGH, MEDIUM, LOW), Bitnami's
 * `database_specific.severity` (Critical, High, Medium, Low) and the Ubuntu severity type
 * (`{type: 'Ubuntu', score: 'negligible' | 'low' | 'medium' | 'high' | 'critical'}`). Other words
 * ("untriaged", "unknown", "not yet assigned") rate nothing.
 *
 * The representative score of a word is the middle of its CVSS v3 qualitative band, to one decimal:
 * Critical 9.0–10.0 → 9.5, High 7.0–8.9 → 8.0, Medium 4.0–6.9 → 5.5, Low 0.1–3.9 → 2.0. Negligible
 * (Ubuntu's "only theoretical") sits below Low and counts as its lowest score, 0.1. The score keeps
 * the word's band, so the threat category and the reference policies' bands read as the word does.
 */

export type Rating = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'MEDIUM' | 'LOW' | 'NEGLIGIBLE';

const SCORES: Record<Rating, number> = {
  CRITICAL: 9.5,
  HIGH: 8.0,
  MODERATE: 5.5,
  MEDIUM: 5.5,
  LOW: 2.0,
  NEGLIGIBLE: 0.1,
};

/** The rating a word names, upper case (`moderate` → MODERATE); undefined for a word that rates nothing. */
export function ratingOf(word: unknown): Rating | undefined {
  if (typeof word !== 'string') return undefined;
  const upper = word.trim().toUpperCase();
  return Object.hasOwn(SCORES, upper) ? (upper as Rating) : undefined;
}

/** The score a rating counts as (see the module comment); undefined for a word that rates nothing. */
export function ratingScore(word: string): number | undefined {
  const rating = ratingOf(word);
  return rating === undefined ? undefined : SCORES[rating];
}

/** The higher of two ratings by their scores (either may be absent). */
export function higherRating(a: Rating | undefined, b: Rating | undefined): Rating | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SCORES[b] > SCORES[a] ? b : a;
}
