import { type ConditionType, checkOperator, noValue } from './types.js';

/**
 * CISA KEV (`CisaKev`, Tollgate's own): `is true` / `is false`, no value: whether a vulnerability
 * is in CISA's Known Exploited Vulnerabilities catalog. Tested per vulnerability; an unknown
 * listing counts as not listed.
 */
export const CisaKev: ConditionType = {
  id: 'CisaKev',
  name: 'CISA Known Exploited',
  category: 'SECURITY',
  operators: ['is true', 'is false'],
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    noValue(this, value);
    const wanted = operator === 'is true';
    return {
      scope: 'vulnerability',
      test: (v) => (v.cisaKev === true) === wanted,
      reason: (v) => `Found security vulnerability ${v.refId}, ${wanted ? '' : 'not '}listed as known exploited by CISA`,
    };
  },
};
