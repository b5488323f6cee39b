import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * a-name ("authoritative name", Sonatype's identification of JavaScript files by the package they
 * came from): `{name, qualifier, version}` ⇄ `pkg:a-name/n@v?qualifier=q`, as the reference's
 * component-claim examples write it (`qualifier` optional). Not a purl spec type.
 * Display name: `name (qualifier) version`.
 */
export const aName: FormatIdentity = {
  format: 'a-name',
  purlType: 'a-name',
  coordinateKeys: ['name', 'qualifier', 'version'],
  toPurl(c) {
    return {
      type: 'a-name',
      name: required('a-name', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ qualifier: optional(c, 'qualifier') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({ name: p.name, version: p.version, qualifier: qualifier(p.qualifiers, 'qualifier') });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'), optional(c, 'qualifier'));
  },
};
