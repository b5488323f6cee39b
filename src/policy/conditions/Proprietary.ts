import { type ConditionType, checkOperator, noValue } from './types.js';

/** Proprietary (`Proprietary`): `is true` / `is false`, no value. */
export const Proprietary: ConditionType = {
  id: 'Proprietary',
  name: 'Proprietary',
  category: 'OTHER',
  operators: ['is true', 'is false'],
  compile(operator, value) {
    checkOperator(this, operator);
    noValue(this, value);
    const wanted = operator === 'is true';
    return {
      scope: 'component',
      test: (f) => f.proprietary === wanted,
      reason: () => (wanted ? 'Component is proprietary' : 'Component is not proprietary'),
    };
  },
};
