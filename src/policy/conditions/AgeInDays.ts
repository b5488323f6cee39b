import { type ConditionType, checkOperator, parseNumber } from './types.js';

/**
 * Age (`AgeInDays`): `older than` / `younger than` a whole number of days (at least 1), as the
 * reference stores it ("older than 1825" is its five-year architecture policy). The age is the
 * days since the version was published; a component of unknown age never matches, and the engine
 * reports the policy as not evaluated for it (`reads`).
 */
export const AgeInDays: ConditionType = {
  id: 'AgeInDays',
  name: 'Age',
  category: 'QUALITY',
  reads: ['age'],
  operators: ['older than', 'younger than'],
  compile(operator, value) {
    checkOperator(this, operator);
    const days = parseNumber(this, value, 1, 365_000, true);
    const older = operator === 'older than';
    return {
      scope: 'component',
      test: (f) => f.ageInDays !== undefined && (older ? f.ageInDays > days : f.ageInDays < days),
      reason: (f) => `Age was ${f.ageInDays} days (${operator} ${days} days)`,
    };
  },
};
