import { ValidationError } from '../../core/errors.js';
import { coordinatesOf, label, optional, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Composer: `{namespace, name, version}` ⇄ `pkg:composer/components/jqueryui@1.11.4`, as Sonatype's
 * docs write it; the purl spec lowercases both. Display name: `namespace/name version`, the
 * package's name on Packagist.
 */
export const composer: FormatIdentity = {
  format: 'composer',
  purlType: 'composer',
  coordinateKeys: ['namespace', 'name', 'version'],
  toPurl(c) {
    return {
      type: 'composer',
      namespace: required('composer', c, 'namespace'),
      name: required('composer', c, 'name'),
      version: optional(c, 'version'),
    };
  },
  fromPurl(p) {
    if (!p.namespace) throw new ValidationError(`A composer package URL needs the vendor as namespace: pkg:composer/vendor/${p.name}`);
    return coordinatesOf({ namespace: p.namespace, name: p.name, version: p.version });
  },
  displayName(c) {
    const namespace = optional(c, 'namespace');
    const name = optional(c, 'name') ?? '';
    return label(namespace ? `${namespace}/${name}` : name, optional(c, 'version'));
  },
};
