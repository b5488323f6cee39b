import { COMPARISONS, type ConditionType, checkOperator, comparator, parseNumber, score } from './types.js';

/**
 * CVSS Score (`CvssScore`, Tollgate's own): compares a vulnerability's CVSS base score (from its
 * vector, whatever the version) with `=`, `<`, `<=`, `>`, `>=`. Unlike Security Vulnerability
 * Severity it ignores custom and overridden severities. Vulnerabilities without a vector never match.
 */
export const CvssScore: ConditionType = {
  id: 'CvssScore',
  name: 'CVSS Score',
  category: 'SECURITY',
  operators: COMPARISONS,
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    const holds = comparator(operator, parseNumber(this, value, 0, 10));
    return {
      scope: 'vulnerability',
      test: (v) => v.cvssScore !== undefined && holds(v.cvssScore),
      reason: (v) => `Found security vulnerability ${v.refId} with CVSS score ${operator} ${value.trim()} (score = ${score(v.cvssScore ?? 0)}${v.cvssVector ? `, ${v.cvssVector}` : ''})`,
    };
  },
};
