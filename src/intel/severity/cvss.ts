import { createRequire } from 'node:module';

// The calculator ships as a CommonJS bundle whose default export ESM loaders disagree on (Node
// gives module.exports, esbuild-based runners give undefined); require() is the same everywhere.
const cvssCalculator = createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator');

/** The CVSS versions Tollgate scores. */
export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssScore {
  version: CvssVersion;
  /** The vector as given, trimmed (v2's optional wrapping parentheses removed). */
  vector: string;
  /**
   * The base score (v2/v3: Base; v4: CVSS-B when only base metrics are given). This is what NVD
   * publishes and what severity thresholds are applied to.
   */
  baseScore: number;
  /**
   * The score with every metric the vector carries: v2/v3 environmental, else temporal, else base;
   * v4 CVSS-BT / CVSS-BE / CVSS-BTE as the vector has threat and environmental metrics.
   */
  score: number;
}

export class CvssError extends Error {}

type MetricTable = Record<string, readonly string[]>;

/*
 * The metrics and values each specification defines (FIRST: CVSS v2 Guide §2–3, v3.0/v3.1
 * Specification §2–5 and §6, v4.0 Specification §2–4 and §7). The calculator accepts partial and
 * unknown metrics and quietly scores them as 0, so vectors are checked here first: a vector must
 * carry every base metric exactly once, and only metrics and values its version defines.
 */
const V2_BASE: MetricTable = { AV: ['L', 'A', 'N'], AC: ['H', 'M', 'L'], Au: ['M', 'S', 'N'], C: ['N', 'P', 'C'], I: ['N', 'P', 'C'], A: ['N', 'P', 'C'] };
const V2_OTHER: MetricTable = {
  E: ['U', 'POC', 'F', 'H', 'ND'],
  RL: ['OF', 'TF', 'W', 'U', 'ND'],
  RC: ['UC', 'UR', 'C', 'ND'],
  CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
  TD: ['N', 'L', 'M', 'H', 'ND'],
  CR: ['L', 'M', 'H', 'ND'],
  IR: ['L', 'M', 'H', 'ND'],
  AR: ['L', 'M', 'H', 'ND'],
};
const V3_BASE: MetricTable = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};
const V3_OTHER: MetricTable = {
  E: ['X', 'H', 'F', 'P', 'U'],
  RL: ['X', 'U', 'W', 'T', 'O'],
  RC: ['X', 'C', 'R', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'H', 'L', 'N'],
  MI: ['X', 'H', 'L', 'N'],
  MA: ['X', 'H', 'L', 'N'],
};
const V4_BASE: MetricTable = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
};
const V4_OTHER: MetricTable = {
  E: ['X', 'A', 'P', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'],
  MVI: ['X', 'H', 'L', 'N'],
  MVA: ['X', 'H', 'L', 'N'],
  MSC: ['X', 'H', 'L', 'N'],
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
};

const TABLES: Record<CvssVersion, { base: MetricTable; other: MetricTable }> = {
  '2.0': { base: V2_BASE, other: V2_OTHER },
  '3.0': { base: V3_BASE, other: V3_OTHER },
  '3.1': { base: V3_BASE, other: V3_OTHER },
  '4.0': { base: V4_BASE, other: V4_OTHER },
};

/** The version a vector declares: `CVSS:3.1/…`; v2 vectors usually carry no prefix. */
function versionOf(vector: string): { version: CvssVersion; body: string } {
  const prefixed = /^CVSS:(\d+\.\d+)\/(.*)$/.exec(vector);
  if (!prefixed) {
    if (/^CVSS:/.test(vector)) throw new CvssError(`"${vector}" has a CVSS prefix but no metrics.`);
    if (!/^[A-Za-z]+:[A-Za-z]+(\/|$)/.test(vector)) {
      throw new CvssError(`"${vector}" is not a CVSS vector (expected "CVSS:3.1/AV:…", "CVSS:4.0/AV:…" or a v2 "AV:…/AC:…").`);
    }
    return { version: '2.0', body: vector };
  }
  const version = prefixed[1];
  if (version !== '2.0' && version !== '3.0' && version !== '3.1' && version !== '4.0') {
    throw new CvssError(`CVSS version ${version} is not one Tollgate scores (2.0, 3.0, 3.1, 4.0).`);
  }
  return { version, body: prefixed[2] };
}

/** Checks a vector against its version's metric table; returns the version and the cleaned vector. */
export function validateCvssVector(input: string): { version: CvssVersion; vector: string } {
  if (typeof input !== 'string' || !input.trim()) throw new CvssError('The CVSS vector is empty.');
  // NVD wrote v2 vectors in parentheses: "(AV:N/AC:L/Au:N/C:P/I:P/A:P)".
  const vector = input.trim().replace(/^\((.*)\)$/, '$1');
  const { version, body } = versionOf(vector);
  const { base, other } = TABLES[version];
  const seen = new Set<string>();
  for (const part of body.split('/')) {
    const [metric, value, extra] = part.split(':');
    if (!metric || value === undefined || extra !== undefined) throw new CvssError(`"${part}" in CVSS ${version} vector "${vector}" is not METRIC:VALUE.`);
    const allowed = base[metric] ?? other[metric];
    if (!allowed) throw new CvssError(`CVSS ${version} has no metric "${metric}" (in "${vector}").`);
    if (!allowed.includes(value)) throw new CvssError(`"${value}" is not a value of CVSS ${version} metric ${metric} (allowed: ${allowed.join(', ')}).`);
    if (seen.has(metric)) throw new CvssError(`CVSS ${version} metric ${metric} appears twice in "${vector}".`);
    seen.add(metric);
  }
  const missing = Object.keys(base).filter((m) => !seen.has(m));
  if (missing.length) throw new CvssError(`CVSS ${version} vector "${vector}" lacks the base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
  return { version, vector };
}

interface CalculatorScores {
  base?: number;
  overall?: number;
  baseMetricsOnly?: number;
}

function calculator(version: CvssVersion, vector: string): { calculateScores(): CalculatorScores } {
  switch (version) {
    case '2.0':
      return new cvssCalculator.Cvss2(vector.replace(/^CVSS:2\.0\//, ''));
    case '3.0':
      return new cvssCalculator.Cvss3P0(vector);
    case '3.1':
      return new cvssCalculator.Cvss3P1(vector);
    case '4.0':
      return new cvssCalculator.Cvss4P0(vector);
  }
}

/**
 * Scores by vector as written. Scoring takes the calculator ~40 µs, and a vulnerability database
 * repeats a few thousand vectors over a hundred thousand records (CVSS 3.1 has 2,592 base vectors):
 * the first evaluation after a start scored every finding's vector anew. Bounded; scores are
 * read-only.
 */
const scored = new Map<string, CvssScore>();
const MAX_SCORED = 20_000;

/** Scores a CVSS v2, v3.0, v3.1 or v4.0 vector; throws CvssError with the reason when it is not valid. */
export function scoreCvss(input: string): CvssScore {
  let score = scored.get(input);
  if (!score) {
    score = computeScore(input);
    if (scored.size >= MAX_SCORED) scored.clear();
    scored.set(input, score);
  }
  return score;
}

function computeScore(input: string): CvssScore {
  const { version, vector } = validateCvssVector(input);
  let scores: CalculatorScores;
  try {
    scores = calculator(version, vector).calculateScores();
  } catch (err) {
    throw new CvssError(`CVSS ${version} vector "${vector}" could not be scored: ${(err as Error).message}`);
  }
  const baseScore = version === '4.0' ? scores.baseMetricsOnly : scores.base;
  const score = scores.overall ?? baseScore;
  if (typeof baseScore !== 'number' || !Number.isFinite(baseScore) || typeof score !== 'number' || !Number.isFinite(score)) {
    throw new CvssError(`CVSS ${version} vector "${vector}" gave no score.`);
  }
  return { version, vector, baseScore, score };
}

/** scoreCvss for data where a bad vector is only a notice: undefined instead of an error. */
export function tryScoreCvss(input: string | null | undefined): CvssScore | undefined {
  if (!input) return undefined;
  try {
    return scoreCvss(input);
  } catch {
    return undefined;
  }
}
