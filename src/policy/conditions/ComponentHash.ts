import { isComponentHash } from '../../ecosystems/hash.js';
import { type ConditionType, ConditionValueError, checkOperator, listOf } from './types.js';

/**
 * Component Hash (`ComponentHash`, Tollgate's own): `is` / `is not` one component hash or a
 * comma-separated list (the reference's 20 lowercase hex characters), e.g. to ban one known-bad
 * binary. A component without a hash is never `is` one.
 */
export const ComponentHash: ConditionType = {
  id: 'ComponentHash',
  name: 'Component Hash',
  category: 'OTHER',
  operators: ['is', 'is not'],
  tollgate: true,
  compile(operator, value) {
    checkOperator(this, operator);
    const hashes = new Set<string>();
    for (const item of listOf(this, value)) {
      const hash = item.toLowerCase();
      if (!isComponentHash(hash)) throw new ConditionValueError(`${this.name} needs 20 hex characters, not "${item}"`);
      hashes.add(hash);
    }
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => (f.hash !== undefined && hashes.has(f.hash)) === is,
      reason: (f) => `Component hash was ${f.hash ?? 'unknown'} (${operator} ${[...hashes].join(', ')})`,
    };
  },
};
