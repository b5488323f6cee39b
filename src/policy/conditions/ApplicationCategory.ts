import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * Application Category (`ApplicationCategory`, Tollgate's own): `is` / `is not` an application
 * category (the reference's tag) id, tested against the evaluated application's categories. The
 * reference limits a whole policy to categories (its PolicyTag rows, Tollgate's `tagIds`); this
 * condition does the same for one constraint.
 */
export const ApplicationCategory: ConditionType = {
  id: 'ApplicationCategory',
  name: 'Application Category',
  category: 'OTHER',
  operators: ['is', 'is not'],
  tollgate: true,
  compile(operator, value, context) {
    checkOperator(this, operator);
    const categoryId = value.trim();
    if (!categoryId) throw new ConditionValueError(`${this.name} needs an application category id`);
    const category = context.applicationCategories?.get(categoryId);
    if (context.applicationCategories && !category) {
      throw new ConditionValueError(`${this.name} "${categoryId}" is not an application category of this owner or above it`);
    }
    const name = category?.name ?? categoryId;
    const is = operator === 'is';
    return {
      scope: 'component',
      valueLabel: name,
      test: (f) => f.application.categoryIds.includes(categoryId) === is,
      reason: () => `Application category '${name}' ${is ? 'was' : 'was not'} applied`,
    };
  },
};
