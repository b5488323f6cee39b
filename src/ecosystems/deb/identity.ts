import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Debian packages: `{namespace, name, version, architecture, distro}` ⇄
 * `pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie`. The reference is silent on this format;
 * the coordinates follow the purl spec's deb type (namespace = vendor: debian, ubuntu), with
 * `architecture` named as in Sonatype's rpm coordinates. Display name: `name (architecture) version`.
 */
export const deb: FormatIdentity = {
  format: 'deb',
  purlType: 'deb',
  coordinateKeys: ['namespace', 'name', 'version', 'architecture', 'distro'],
  toPurl(c) {
    return {
      type: 'deb',
      namespace: optional(c, 'namespace'),
      name: required('deb', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ arch: optional(c, 'architecture'), distro: optional(c, 'distro') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({
      namespace: p.namespace,
      name: p.name,
      version: p.version,
      architecture: qualifier(p.qualifiers, 'arch'),
      distro: qualifier(p.qualifiers, 'distro'),
    });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'), optional(c, 'architecture'));
  },
};
