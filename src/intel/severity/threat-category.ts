/**
 * The reference product's security threat categories, from a CVSS score (0–10): critical from 9,
 * severe from 7, moderate from 4, low above 0, none at 0. They follow the CVSS qualitative scale
 * (Critical / High / Medium / Low / None) with the reference's own words for the middle bands.
 */
export type ThreatCategory = 'critical' | 'severe' | 'moderate' | 'low' | 'none';

export function threatCategory(score: number): ThreatCategory {
  if (!Number.isFinite(score) || score < 0 || score > 10) throw new RangeError(`A CVSS score runs from 0 to 10, not ${score}.`);
  if (score >= 9) return 'critical';
  if (score >= 7) return 'severe';
  if (score >= 4) return 'moderate';
  if (score > 0) return 'low';
  return 'none';
}
