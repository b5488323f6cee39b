import { ValidationError } from '../../core/errors.js';
import { coordinatesOf, label, optional, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

const CORE_KEYS = ['namespace', 'name', 'version'];

/**
 * The fallback for every purl type without a module of its own (`generic`, `docker`, `hex`,
 * `bower`, …): the format is the purl type, and the coordinates are the purl's `namespace`,
 * `name` and `version` plus one coordinate per qualifier, under the qualifier's own key. A purl
 * whose qualifiers are named `namespace`, `name` or `version` cannot be represented and is refused.
 * Subpaths are dropped. Display name: `namespace/name version`.
 */
export function genericIdentity(type: string): FormatIdentity {
  return {
    format: type,
    purlType: type,
    coordinateKeys: CORE_KEYS,
    openCoordinates: true,
    toPurl(c) {
      const extra: Record<string, string | undefined> = {};
      for (const key of Object.keys(c)) {
        if (!CORE_KEYS.includes(key)) extra[key] = optional(c, key);
      }
      return {
        type,
        namespace: optional(c, 'namespace'),
        name: required(type, c, 'name'),
        version: optional(c, 'version'),
        qualifiers: qualifiersOf(extra),
      };
    },
    fromPurl(p) {
      const qualifiers = p.qualifiers ?? {};
      for (const key of CORE_KEYS) {
        if (key in qualifiers) {
          throw new ValidationError(`The ${type} package URL has a qualifier named "${key}", which Tollgate cannot tell apart from its ${key}`);
        }
      }
      return coordinatesOf({ ...qualifiers, namespace: p.namespace, name: p.name, version: p.version });
    },
    displayName(c) {
      const namespace = optional(c, 'namespace');
      const name = optional(c, 'name') ?? '';
      return label(namespace ? `${namespace}/${name}` : name, optional(c, 'version'));
    },
  };
}
