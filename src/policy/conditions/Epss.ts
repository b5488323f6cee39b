import { COMPARISONS, type ConditionType, checkOperator, comparator, parseNumber } from './types.js';

/**
 * EPSS (`Epss`, Tollgate's own): compares a vulnerability's EPSS probability (0–1, FIRST's
 * Exploit Prediction Scoring System) with `=`, `<`, `<=`, `>`, `>=`. Vulnerabilities without an
 * EPSS score never match.
 */
export const Epss: ConditionType = {
  id: 'Epss',
  name: 'EPSS Probability',
  category: 'SECURITY',
  operators: COMPARISONS,
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    const holds = comparator(operator, parseNumber(this, value, 0, 1));
    return {
      scope: 'vulnerability',
      test: (v) => v.epss !== undefined && holds(v.epss),
      reason: (v) => `Found security vulnerability ${v.refId} with EPSS ${operator} ${value.trim()} (EPSS = ${v.epss})`,
    };
  },
};
