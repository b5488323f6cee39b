import { coordinatesOf, label, optional, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * CocoaPods: `{name, version}` ⇄ `pkg:cocoapods/libpng@1.4.9`. A subspec (the purl subpath,
 * `pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib`) is part of the pod, not a component of its
 * own, and is dropped. Display name: `name version`.
 */
export const cocoapods: FormatIdentity = {
  format: 'cocoapods',
  purlType: 'cocoapods',
  coordinateKeys: ['name', 'version'],
  toPurl(c) {
    return { type: 'cocoapods', name: required('cocoapods', c, 'name'), version: optional(c, 'version') };
  },
  fromPurl(p) {
    return coordinatesOf({ name: p.name, version: p.version });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'));
  },
};
