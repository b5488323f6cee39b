import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Conan: `{name, version, owner, channel}` ⇄ `pkg:conan/bincrafters/libxml2@2.9.8?channel=stable`.
 * Sonatype writes the owner (Conan's "user") as the purl namespace; the purl spec puts it in a
 * `user` qualifier and keeps the namespace for the vendor
 * (`pkg:conan/openssl.org/openssl@3.0.3?user=bincrafters&channel=stable`). Tollgate writes
 * Sonatype's form and reads both: the `user` qualifier wins, and a vendor namespace next to it is
 * not a coordinate and is dropped, as are recipe and package revisions (rrev, prev).
 * When owner or channel is known both are listed, the missing one empty, as Sonatype's example
 * does. Display name: `name (owner/channel) version`.
 */
export const conan: FormatIdentity = {
  format: 'conan',
  purlType: 'conan',
  coordinateKeys: ['name', 'version', 'owner', 'channel'],
  toPurl(c) {
    return {
      type: 'conan',
      namespace: optional(c, 'owner'),
      name: required('conan', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ channel: optional(c, 'channel') }),
    };
  },
  fromPurl(p) {
    const owner = qualifier(p.qualifiers, 'user') ?? p.namespace;
    const channel = qualifier(p.qualifiers, 'channel');
    const listed = owner !== undefined || channel !== undefined;
    return coordinatesOf({
      name: p.name,
      version: p.version,
      owner: listed ? (owner ?? '') : undefined,
      channel: listed ? (channel ?? '') : undefined,
    });
  },
  displayName(c) {
    const detail = [optional(c, 'owner'), optional(c, 'channel')].filter(Boolean).join('/');
    return label(optional(c, 'name') ?? '', optional(c, 'version'), detail);
  },
};
