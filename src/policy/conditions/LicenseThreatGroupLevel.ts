import { type ConditionType, checkOperator, comparator, parseNumber } from './types.js';

/**
 * License Threat Group Level (reference id `License Threat Group Level`, with spaces;
 * `LicenseThreatGroupLevel` accepted): `<=` / `>=` a whole number 0–10, compared with the highest
 * threat level among the component's effective licenses. A component none of whose licenses is in a
 * group has no level and never matches.
 */
export const LicenseThreatGroupLevel: ConditionType = {
  id: 'License Threat Group Level',
  aliases: ['LicenseThreatGroupLevel'],
  name: 'License Threat Group Level',
  category: 'LICENSE',
  reads: ['license'],
  operators: ['<=', '>='],
  compile(operator, value) {
    checkOperator(this, operator);
    const holds = comparator(operator, parseNumber(this, value, 0, 10, true));
    return {
      scope: 'component',
      test: (f) => {
        let top = -1;
        for (const l of f.licenses) if (l.threatLevel !== undefined && l.threatLevel > top) top = l.threatLevel;
        return top >= 0 && holds(top);
      },
      reason: (f) => {
        const top = Math.max(...f.licenses.map((l) => l.threatLevel ?? -1));
        return `License threat level was ${top} (${operator} ${value.trim()})`;
      },
    };
  },
};
