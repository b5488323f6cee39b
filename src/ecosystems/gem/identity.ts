import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * RubyGems: `{name, version, platform}` ⇄ `pkg:gem/nokogiri@1.13.0?platform=java` (platform
 * optional, the purl spec's qualifier). Display name: `name (platform) version`.
 */
export const gem: FormatIdentity = {
  format: 'gem',
  purlType: 'gem',
  coordinateKeys: ['name', 'version', 'platform'],
  toPurl(c) {
    return {
      type: 'gem',
      name: required('gem', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ platform: optional(c, 'platform') }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({ name: p.name, version: p.version, platform: qualifier(p.qualifiers, 'platform') });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'), optional(c, 'platform'));
  },
};
