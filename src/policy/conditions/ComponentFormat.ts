import { knownFormat } from '../../ecosystems/formats.js';
import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/** Format (`ComponentFormat`): `is` / `is not` a component format (maven, npm, pypi, …). */
export const ComponentFormat: ConditionType = {
  id: 'ComponentFormat',
  name: 'Format',
  category: 'OTHER',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const identity = knownFormat(value);
    if (!identity) throw new ConditionValueError(`${this.name} "${value}" is not a known component format`);
    const format = identity.format;
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => (f.format === format) === is,
      reason: (f) => `Format was ${f.format} (${operator} ${format})`,
    };
  },
};
