import { knownFormat } from '../../ecosystems/formats.js';
import { type ConditionType, ConditionValueError, checkOperator } from './types.js';

/**
 * The order in which a Coordinates value lists a format's coordinates, where it is not the order
 * of the format's coordinate keys: the reference writes maven as group:artifact:version:extension:
 * classifier, a-name as name:qualifier:version and pypi as name:version:qualifier:extension.
 */
const ORDER: Record<string, readonly string[]> = {
  maven: ['groupId', 'artifactId', 'version', 'extension', 'classifier'],
  'a-name': ['name', 'qualifier', 'version'],
  pypi: ['name', 'version', 'qualifier', 'extension'],
};

/** Coordinates that may be absent: an empty part means "absent", not "anything". */
const OPTIONAL: Record<string, readonly string[]> = {
  maven: ['classifier'],
  'a-name': ['qualifier'],
  pypi: ['qualifier', 'extension'],
  conan: ['owner', 'channel'],
};

type PartTest = { key: string; test: (value: string | undefined) => boolean };

function globPart(pattern: string): (value: string | undefined) => boolean {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*')) return (v) => v === pattern;
  const source = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (v) => v !== undefined && re.test(v);
}

/**
 * Coordinates (`Coordinates`): `match` / `do not match` a pattern written as the reference writes
 * it, `format:part:part:…` (e.g. `maven:org.eclipse.*:*:*:*:*`), each part an exact value or a
 * pattern with `*` wildcards. Missing trailing parts mean `*`; an empty required part means `*`, an
 * empty optional part (a maven classifier, a pypi qualifier) means "has none". Case matters, as in
 * the coordinates themselves.
 */
export const Coordinates: ConditionType = {
  id: 'Coordinates',
  name: 'Coordinates',
  category: 'OTHER',
  operators: ['match', 'do not match'],
  compile(operator, value) {
    checkOperator(this, operator);
    const parts = value.split(':').map((p) => p.trim());
    const format = parts.shift() ?? '';
    const identity = format ? knownFormat(format) : undefined;
    if (!identity) throw new ConditionValueError(`${this.name} must start with a known format (maven:…, npm:…, pypi:…), not "${value}"`);
    const order = ORDER[identity.format] ?? identity.coordinateKeys;
    if (parts.length > order.length) {
      throw new ConditionValueError(`${this.name} for ${identity.format} has at most ${order.length} parts (${order.join(':')}), not ${parts.length}`);
    }
    const optional = new Set(OPTIONAL[identity.format] ?? []);
    const tests: PartTest[] = [];
    const shown: string[] = [];
    order.forEach((key, i) => {
      const part = parts[i] ?? '*';
      if (part === '' && optional.has(key)) {
        tests.push({ key, test: (v) => v === undefined || v === '' });
        shown.push('');
        return;
      }
      const pattern = part === '' ? '*' : part;
      shown.push(pattern);
      if (pattern !== '*') tests.push({ key, test: globPart(pattern) });
    });
    const wanted = operator === 'match';
    const pattern = shown.join(' : ');
    return {
      scope: 'component',
      test: (f) => {
        const id = f.componentIdentifier;
        if (!id || id.format !== identity.format) return !wanted;
        for (const t of tests) if (!t.test(id.coordinates[t.key])) return !wanted;
        return wanted;
      },
      reason: (f) => `Coordinates were ${f.displayName} (${operator} ${identity.format}: ${pattern})`,
    };
  },
};
