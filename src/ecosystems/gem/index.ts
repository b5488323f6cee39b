import { rubygems } from '../../intel/registries/rubygems.js';
import { gemfileLockReader } from '../../sbom/lockfiles/ruby.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { rubygemsVersioning } from '../versioning/rubygems.js';
import { gem } from './identity.js';

/** RubyGems: gems by `name`, RubyGems' version order, RubyGems.org, Gemfile.lock. */
export const gemEcosystem: EcosystemDescriptor = {
  format: 'gem',
  aliases: ['rubygems'],
  identity: gem,
  versioning: rubygemsVersioning,
  osv: { ecosystems: ['RubyGems'] },
  registry: {
    create: (c) => rubygems({ url: c.gem.url, timeoutMs: c.timeoutMs }),
    packageName: (c) => c.name,
  },
  lockfiles: [gemfileLockReader],
};
