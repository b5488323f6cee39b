import type { ComponentIdentifier } from '../ecosystems/types.js';
import { registryVersionFacts } from '../intel/registries/index.js';
import type { AppContext } from '../services/context.js';

/** What a package registry says about one component version; absent facts stay unknown. */
export interface RegistryFacts {
  ageInDays?: number;
  isLatest?: boolean;
  versionDistance?: number;
}

export interface RegistryFactsOptions {
  /** Give up on lookups still running after this long: their components keep unknown facts. */
  budgetMs: number;
  /** Lookups at once. */
  concurrency?: number;
}

/** The registry name of a component, for the formats intel/registries serves. */
function registryRequest(identifier: ComponentIdentifier | undefined): { format: string; name: string; version: string } | undefined {
  if (!identifier) return undefined;
  const c = identifier.coordinates;
  if (!c.version) return undefined;
  switch (identifier.format) {
    case 'npm':
      return c.packageId ? { format: 'npm', name: c.packageId, version: c.version } : undefined;
    case 'maven':
      return c.groupId && c.artifactId ? { format: 'maven', name: `${c.groupId}:${c.artifactId}`, version: c.version } : undefined;
    case 'pypi':
      return c.name ? { format: 'pypi', name: c.name, version: c.version } : undefined;
    default:
      return undefined;
  }
}

/**
 * Age, latest-ness and distance from the latest release for each component a registry serves,
 * from the registry cache or the registry itself (offline mode: cache only). A registry that is
 * down, slow or unaware of a package never fails the evaluation: whatever is not known within the
 * time budget stays unknown (undefined), which no policy condition counts as a violation.
 */
export async function registryFactsFor(
  ctx: AppContext,
  identifiers: ReadonlyArray<ComponentIdentifier | undefined>,
  options: RegistryFactsOptions,
): Promise<Array<RegistryFacts | undefined>> {
  const out: Array<RegistryFacts | undefined> = identifiers.map(() => undefined);
  const work: Array<{ index: number; request: { format: string; name: string; version: string } }> = [];
  identifiers.forEach((identifier, index) => {
    const request = registryRequest(identifier);
    if (request) work.push({ index, request });
  });
  if (!work.length) return out;
  let expired = false;
  let next = 0;
  const worker = async () => {
    while (!expired && next < work.length) {
      const { index, request } = work[next++];
      try {
        const facts = await registryVersionFacts(ctx, request);
        if (expired) return;
        const result: RegistryFacts = {};
        if (facts.ageInDays !== null) result.ageInDays = facts.ageInDays;
        if (facts.version) result.isLatest = facts.isLatest;
        if (facts.distanceFromLatest !== null) result.versionDistance = facts.distanceFromLatest;
        out[index] = result;
      } catch (err) {
        ctx.log.debug({ err, component: request }, 'registry facts unavailable');
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.budgetMs);
  });
  const workers = Array.from({ length: Math.min(options.concurrency ?? 8, work.length) }, worker);
  await Promise.race([Promise.all(workers), deadline]);
  expired = true;
  clearTimeout(timer);
  return out.map((f) => (f ? { ...f } : undefined));
}
