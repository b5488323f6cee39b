import { coordinatesOf, label, optional, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * NuGet: `{packageId, version}` ⇄ `pkg:nuget/Newtonsoft.Json@13.0.1`. The purl spec keeps the
 * package id's case, so does Tollgate. Display name: `packageId version`.
 */
export const nuget: FormatIdentity = {
  format: 'nuget',
  purlType: 'nuget',
  coordinateKeys: ['packageId', 'version'],
  toPurl(c) {
    return { type: 'nuget', name: required('nuget', c, 'packageId'), version: optional(c, 'version') };
  },
  fromPurl(p) {
    return coordinatesOf({ packageId: p.name, version: p.version });
  },
  displayName(c) {
    return label(optional(c, 'packageId') ?? '', optional(c, 'version'));
  },
};
