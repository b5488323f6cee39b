import type { AppContext } from '../../core/context.js';
import type { IdentifiedComponent } from '../identify.js';
import { type RegistryFactsResult, registryFactsFor } from '../registry-facts.js';

/**
 * Step 3: registry facts (age, latest, version distance, and the declared license where the SBOM
 * states none), from the registry cache only: an evaluation never waits on the network. What the
 * cache lacks comes back as fetches for the background job.
 */
export function readRegistryFacts(ctx: AppContext, components: readonly IdentifiedComponent[]): Promise<RegistryFactsResult> {
  return registryFactsFor(
    ctx,
    components.map((c) => ({ identifier: c.matchState === 'exact' ? c.componentIdentifier : undefined, wantsLicense: !c.declaredLicense })),
  );
}
