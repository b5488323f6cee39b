import { COMPARISONS, type ConditionType, checkOperator, comparator, parseNumber } from './types.js';

/**
 * Dependency Depth (`DependencyDepth`, Tollgate's own): compares how deep in the dependency graph
 * the component sits (1 = direct) with `=`, `<`, `<=`, `>`, `>=`. Unknown depth never matches.
 */
export const DependencyDepth: ConditionType = {
  id: 'DependencyDepth',
  name: 'Dependency Depth',
  category: 'OTHER',
  operators: COMPARISONS,
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    const holds = comparator(operator, parseNumber(this, value, 1, 1000, true));
    return {
      scope: 'component',
      test: (f) => f.dependency?.depth !== undefined && holds(f.dependency.depth),
      reason: (f) => `Dependency depth was ${f.dependency?.depth} (${operator} ${value.trim()})`,
    };
  },
};
