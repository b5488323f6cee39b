import { type ConditionType, checkOperator, oneOf } from './types.js';

/** Match State (`MatchState`): `is` / `is not` exact, similar or unknown (the reference's values, lower case). */
export const MatchState: ConditionType = {
  id: 'MatchState',
  name: 'Match State',
  category: 'OTHER',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const state = oneOf(this, value, ['exact', 'similar', 'unknown']);
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => (f.matchState === state) === is,
      reason: (f) => `Match state was ${f.matchState} (${operator} ${state})`,
    };
  },
};
