import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

const DEFAULT_VENDOR = 'alpine';

/**
 * Alpine packages: format `alpine`, purl type `apk`: `{name, version, architecture, distro}` ⇄
 * `pkg:apk/alpine/curl@7.83.0-r0?arch=x86_64&distro=3.16`. The reference is silent on this format;
 * the coordinates follow the purl spec's apk type. Its namespace is the vendor, `alpine` unless a
 * `namespace` coordinate names another (e.g. `openwrt`); a purl without one reads as Alpine's.
 * Display name: `name (architecture) version`.
 */
export const alpine: FormatIdentity = {
  format: 'alpine',
  purlType: 'apk',
  coordinateKeys: ['namespace', 'name', 'version', 'architecture', 'distro'],
  toPurl(c) {
    return {
      type: 'apk',
      namespace: optional(c, 'namespace') ?? DEFAULT_VENDOR,
      name: required('alpine', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ arch: optional(c, 'architecture'), distro: optional(c, 'distro') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({
      namespace: p.namespace && p.namespace !== DEFAULT_VENDOR ? p.namespace : undefined,
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
