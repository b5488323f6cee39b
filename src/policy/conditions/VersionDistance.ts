import { COMPARISONS, type ConditionType, checkOperator, comparator, parseNumber } from './types.js';

/**
 * Version Distance (`VersionDistance`, Tollgate's own): compares how many releases lie between
 * the component's version and the latest (0 = latest) with `=`, `<`, `<=`, `>`, `>=`. Unknown
 * distance never matches (the policy is then reported not evaluated).
 */
export const VersionDistance: ConditionType = {
  id: 'VersionDistance',
  name: 'Versions Behind Latest',
  category: 'QUALITY',
  reads: ['versionDistance'],
  operators: COMPARISONS,
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    const holds = comparator(operator, parseNumber(this, value, 0, 1_000_000, true));
    return {
      scope: 'component',
      test: (f) => f.versionDistance !== undefined && holds(f.versionDistance),
      reason: (f) => `Version was ${f.versionDistance} release${f.versionDistance === 1 ? '' : 's'} behind the latest (${operator} ${value.trim()})`,
    };
  },
};
