import { LICENSE_STATUSES } from '../../intel/licenses/license-data.js';
import { type ConditionType, checkOperator, oneOf } from './types.js';

/** License Status (`LicenseStatus`): `is` / `is not` a license review status (OPEN, ACKNOWLEDGED, OVERRIDDEN, SELECTED, CONFIRMED). */
export const LicenseStatus: ConditionType = {
  id: 'LicenseStatus',
  name: 'License Status',
  category: 'LICENSE',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const status = oneOf(this, value, LICENSE_STATUSES);
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => (f.licenseStatus === status) === is,
      reason: (f) => `License status was '${f.licenseStatus}' (${operator} '${status}')`,
    };
  },
};
