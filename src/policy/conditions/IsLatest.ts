import { type ConditionType, checkOperator, noValue } from './types.js';

/** Is Latest (`IsLatest`, Tollgate's own): `is true` / `is false`, no value. Unknown never matches (the
 * policy is then reported not evaluated). */
export const IsLatest: ConditionType = {
  id: 'IsLatest',
  name: 'Latest Version',
  category: 'QUALITY',
  reads: ['latest'],
  operators: ['is true', 'is false'],
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    noValue(this, value);
    const wanted = operator === 'is true';
    return {
      scope: 'component',
      test: (f) => f.isLatest !== undefined && f.isLatest === wanted,
      reason: () => (wanted ? 'Version is the latest' : 'Version is not the latest'),
    };
  },
};
