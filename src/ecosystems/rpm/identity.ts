import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * RPM: `{name, version, architecture}` ⇄ `pkg:rpm/AGReader@1.2-6.el6?arch=ppc64`, as Sonatype's docs
 * write it. The reference is silent on the rest; following the purl spec's rpm type, the vendor
 * (`fedora`, `redhat`) is the optional `namespace`, and the `epoch` and `distro` qualifiers are kept
 * as coordinates of the same names, since vulnerability data depends on them.
 * Display name: `name (architecture) version`.
 */
export const rpm: FormatIdentity = {
  format: 'rpm',
  purlType: 'rpm',
  coordinateKeys: ['namespace', 'name', 'version', 'architecture', 'epoch', 'distro'],
  toPurl(c) {
    return {
      type: 'rpm',
      namespace: optional(c, 'namespace'),
      name: required('rpm', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ arch: optional(c, 'architecture'), epoch: optional(c, 'epoch'), distro: optional(c, 'distro') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({
      namespace: p.namespace,
      name: p.name,
      version: p.version,
      architecture: qualifier(p.qualifiers, 'arch'),
      epoch: qualifier(p.qualifiers, 'epoch'),
      distro: qualifier(p.qualifiers, 'distro'),
    });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'), optional(c, 'architecture'));
  },
};
