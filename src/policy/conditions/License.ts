import { canonicalSpdxId } from '../../intel/licenses/spdx-ids.js';
import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * License (`License`): `is` / `is not` one license id, compared with the component's effective
 * licenses (after overrides), case-insensitively and by SPDX's canonical spelling. `is` holds when
 * any effective license is the one named ("Found 'Apache-1.1' license", as the reference says);
 * `is not` when none is. SPDX's old and new spellings of one license are the same license
 * (`GPL-2.0` ≡ `GPL-2.0-only`, `GPL-2.0+` ≡ `GPL-2.0-or-later`).
 */
export const License: ConditionType = {
  id: 'License',
  name: 'License',
  category: 'LICENSE',
  reads: ['license'],
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const written = value.trim();
    if (!written) throw new ConditionValueError(`${this.name} needs a license id`);
    const wanted = licenseKey(written);
    const same = (id: string) => id === written || licenseKey(id) === wanted;
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => f.licenses.some((l) => same(l.licenseId)) === is,
      reason: (f) =>
        is ? `Found '${written}' license` : `Licenses were ${f.licenses.map((l) => `'${l.licenseId}'`).join(', ') || 'none'} (is not '${written}')`,
    };
  },
};

function licenseKey(id: string): string {
  return (canonicalSpdxId(id) ?? id).toLowerCase().replace(/-only$/, '').replace(/\+$/, '-or-later');
}
