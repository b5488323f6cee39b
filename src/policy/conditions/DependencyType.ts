import { type ConditionType, checkOperator, oneOf } from './types.js';

/**
 * Dependency Type (`DependencyType`): `is` / `is not` direct or
 * transitive. The reference's third value, innersource, is accepted so that its exports import,
 * but Tollgate has no innersource components: `is innersource` never holds. A component whose
 * place in the dependency graph is unknown is neither direct nor transitive.
 */
export const DependencyType: ConditionType = {
  id: 'DependencyType',
  name: 'Dependency Type',
  category: 'OTHER',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const type = oneOf(this, value, ['direct', 'transitive', 'innersource']);
    const is = operator === 'is';
    const typeOf = (direct: boolean | undefined) => (direct === undefined ? undefined : direct ? 'direct' : 'transitive');
    return {
      scope: 'component',
      test: (f) => {
        const actual = typeOf(f.dependency?.direct);
        return actual !== undefined && (actual === type) === is;
      },
      reason: (f) => `Dependency type was ${typeOf(f.dependency?.direct)} (${operator} ${type})`,
    };
  },
};
