import type { LicenseFact } from '../facts.js';
import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * License Threat Group. The reference's id has spaces, `License Threat Group`, as its policy
 * export writes it; `LicenseThreatGroup` is accepted and stored in the reference's spelling. `is` /
 * `is not` a group id: `is` holds when any effective license belongs to the group, `is not` when
 * none does. The id must name a group the policy's owner can see. Tollgate lets an organization or
 * application override an inherited group by name, so a license counts as in the group when its
 * group has the referenced id or, where the referenced group is known, the same name (compared as
 * the reference compares group names: case and whitespace ignored).
 */
export const LicenseThreatGroup: ConditionType = {
  id: 'License Threat Group',
  aliases: ['LicenseThreatGroup'],
  name: 'License Threat Group',
  category: 'LICENSE',
  reads: ['license'],
  operators: ['is', 'is not'],
  compile(operator, value, context) {
    checkOperator(this, operator);
    const groupId = value.trim();
    if (!groupId) throw new ConditionValueError(`${this.name} needs a license threat group id`);
    const group = context.licenseThreatGroups?.get(groupId);
    if (context.licenseThreatGroups && !group) {
      throw new ConditionValueError(`${this.name} "${groupId}" is not a license threat group of this owner or above it`);
    }
    const name = group?.name ?? groupId;
    const key = group ? nameKey(group.name) : undefined;
    // Names seen are few (one per group): their keys are worked out once each.
    const keys = new Map<string, string>();
    const keyOf = (name: string) => {
      let k = keys.get(name);
      if (k === undefined) {
        k = nameKey(name);
        keys.set(name, k);
      }
      return k;
    };
    const inGroup = (l: LicenseFact) =>
      l.threatGroupId === groupId || (key !== undefined && l.threatGroupName !== undefined && keyOf(l.threatGroupName) === key);
    const is = operator === 'is';
    return {
      scope: 'component',
      valueLabel: name,
      test: (f) => f.licenses.some(inGroup) === is,
      reason: (f) => {
        if (!is) return `No license was in license threat group '${name}'`;
        const found = f.licenses.filter(inGroup).map((l) => `'${l.licenseId}'`);
        return `Found ${found.join(', ')} license${found.length > 1 ? 's' : ''} in license threat group '${name}'`;
      },
    };
  },
};

function nameKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, '');
}
