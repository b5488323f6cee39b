import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Cargo: `{name, version, type}` ⇄ `pkg:cargo/grin@1.0.0?type=crate`, as Sonatype's docs write it
 * (`type` optional; the purl spec knows no cargo qualifiers). Display name: `name version`.
 */
export const cargo: FormatIdentity = {
  format: 'cargo',
  purlType: 'cargo',
  coordinateKeys: ['name', 'version', 'type'],
  toPurl(c) {
    return {
      type: 'cargo',
      name: required('cargo', c, 'name'),
      version: optional(c, 'version'),
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
