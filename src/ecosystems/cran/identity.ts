import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * CRAN: `{name, version, type}` ⇄ `pkg:cran/readxl@1.1.0?type=tar.gz`, as Sonatype's docs write it
 * (`type` optional). The purl spec requires a version for cran. Display name: `name version`.
 */
export const cran: FormatIdentity = {
  format: 'cran',
  purlType: 'cran',
  coordinateKeys: ['name', 'version', 'type'],
  toPurl(c) {
    return {
      type: 'cran',
      name: required('cran', c, 'name'),
      version: required('cran', c, 'version'),
      qualifiers: qualifiersOf({ type: optional(c, 'type') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({ name: p.name, version: p.version, type: qualifier(p.qualifiers, 'type') });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'));
  },
};
