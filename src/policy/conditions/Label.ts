import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * Label (`Label`): `is` / `is not` a component label id. The id must name a label the policy's
 * owner can see, once Tollgate stores labels (until then any id is kept as given).
 */
export const Label: ConditionType = {
  id: 'Label',
  name: 'Label',
  category: 'OTHER',
  operators: ['is', 'is not'],
  compile(operator, value, context) {
    checkOperator(this, operator);
    const labelId = value.trim();
    if (!labelId) throw new ConditionValueError(`${this.name} needs a label id`);
    const label = context.labels?.get(labelId);
    if (context.labels && !label) throw new ConditionValueError(`${this.name} "${labelId}" is not a label of this owner or above it`);
    const name = label?.name ?? labelId;
    const is = operator === 'is';
    return {
      scope: 'component',
      valueLabel: name,
      test: (f) => f.labelIds.includes(labelId) === is,
      reason: () => (is ? `Found label '${name}'` : `Label '${name}' was not applied`),
    };
  },
};
