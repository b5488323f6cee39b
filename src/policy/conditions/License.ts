import { canonicalSpdxId } from '../../intel/licenses/spdx-ids.js';
import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * License (`License`): `is` / `is not` one license id, compared with the component's effective
 * licenses (after overrides), case-insensitively and by SPDX's canonical spelling. `is` holds when
 * any effective license is the one named ("Found 'Apache-1.1' license", as the reference says);
 * `is not` when none is.
 */
export const License: ConditionType = {
  id: 'License',
  name: 'License',
  category: 'LICENSE',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const written = value.trim();
    if (!written) throw new ConditionValueError(`${this.name} needs a license id`);
    const wanted = (canonicalSpdxId(written) ?? written).toLowerCase();
    const same = (id: string) => (canonicalSpdxId(id) ?? id).toLowerCase() === wanted;
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => f.licenses.some((l) => same(l.licenseId)) === is,
      reason: (f) =>
        is ? `Found '${written}' license` : `Licenses were ${f.licenses.map((l) => `'${l.licenseId}'`).join(', ') || 'none'} (is not '${written}')`,
    };
  },
};
