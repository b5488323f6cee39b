import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

const QUALIFIERS = ['build', 'channel', 'subdir', 'type'] as const;

/**
 * Conda: `{name, version, channel, subdir, build, type}` ⇄
 * `pkg:conda/openssl@1.0.2l?build=h077ae2c_5&channel=main&subdir=linux-64&type=tar.bz2`
 * (all but name and version optional), as Sonatype's docs and the purl spec's conda type agree.
 * Display name: `name (channel/subdir/build) version (.type)`.
 */
export const conda: FormatIdentity = {
  format: 'conda',
  purlType: 'conda',
  coordinateKeys: ['name', 'version', ...QUALIFIERS],
  toPurl(c) {
    return {
      type: 'conda',
      name: required('conda', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf(Object.fromEntries(QUALIFIERS.map((key) => [key, optional(c, key)]))),
    };
  },
  fromPurl(p) {
    return coordinatesOf({
      name: p.name,
      version: p.version,
      ...Object.fromEntries(QUALIFIERS.map((key) => [key, qualifier(p.qualifiers, key)])),
    });
  },
  displayName(c) {
    const detail = [optional(c, 'channel'), optional(c, 'subdir'), optional(c, 'build')].filter(Boolean).join('/');
    return label(optional(c, 'name') ?? '', optional(c, 'version'), detail, optional(c, 'type'));
  },
};
