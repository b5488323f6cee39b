import { type ConditionType, checkOperator, noValue } from './types.js';

/**
 * Fix Available (`FixAvailable`, Tollgate's own): `is true` / `is false`, no value: whether a
 * version fixing the vulnerability exists. Tested per vulnerability, so "severity >= 7 AND fix
 * available is true" fails only on what can be fixed by upgrading.
 */
export const FixAvailable: ConditionType = {
  id: 'FixAvailable',
  name: 'Fix Available',
  category: 'SECURITY',
  operators: ['is true', 'is false'],
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    noValue(this, value);
    const wanted = operator === 'is true';
    return {
      scope: 'vulnerability',
      test: (v) => (v.fixVersion !== undefined && v.fixVersion !== '') === wanted,
      reason: (v) =>
        v.fixVersion ? `Found security vulnerability ${v.refId}, fixed in ${v.fixVersion}` : `Found security vulnerability ${v.refId}, with no fixed version`,
    };
  },
};
