import type { ComponentIdentifier } from '../ecosystems/types.js';
import {
  distanceFromLatest,
  findVersion,
  isLatest,
  type PackageMetadata,
  registryFor,
  registryVersionFacts,
  versionAgeInDays,
} from '../intel/registries/index.js';
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

  // One query per 500 packages answers everything the cache holds; only the rest is looked up.
  const cached = await cachedMetadata(ctx, work.map((w) => w.request));
  const now = ctx.now();
  const remaining = work.filter(({ index, request }) => {
    const entry = cached.get(cacheKey(ctx, request));
    if (!entry) return !ctx.config.registries.offline;
    if (entry.fresh || ctx.config.registries.offline) {
      if (entry.metadata) out[index] = factsFrom(entry.metadata, request.version, now);
      return false;
    }
    return true;
  });
  await lookUpLive(ctx, remaining, out, options);
  return out.map((f) => (f ? { ...f } : undefined));
}

function factsFrom(metadata: PackageMetadata, version: string, now: Date): RegistryFacts {
  const result: RegistryFacts = {};
  const age = versionAgeInDays(metadata, version, now);
  if (age !== null) result.ageInDays = age;
  if (findVersion(metadata, version)) result.isLatest = isLatest(metadata, version);
  const distance = distanceFromLatest(metadata, version);
  if (distance !== null) result.versionDistance = distance;
  return result;
}

type Request = { format: string; name: string; version: string };

/** The registry cache's key of a package: the adapter's ecosystem and normalized name. */
function cacheKey(ctx: AppContext, request: Request): string {
  try {
    const adapter = registryFor(ctx.config, request.format);
    return `${adapter.ecosystem}\u0000${adapter.normalizeName(request.name)}`;
  } catch {
    return '';
  }
}

/**
 * The cached package documents of the requests, read in bulk. The document layout is
 * intel/registries/cache.ts's (`{v: 1, found, value}`); a document in any other layout counts as
 * not cached, so a change there costs a live lookup, never a wrong fact.
 */
async function cachedMetadata(ctx: AppContext, requests: Request[]): Promise<Map<string, { fresh: boolean; metadata?: PackageMetadata }>> {
  const byKind = new Map<string, Set<string>>();
  for (const r of requests) {
    const key = cacheKey(ctx, r);
    if (!key) continue;
    const [kind, name] = key.split('\u0000');
    const names = byKind.get(kind) ?? new Set();
    names.add(name);
    byKind.set(kind, names);
  }
  const now = ctx.now().toISOString();
  const out = new Map<string, { fresh: boolean; metadata?: PackageMetadata }>();
  for (const [kind, set] of byKind) {
    const names = [...set];
    for (let i = 0; i < names.length; i += 500) {
      const rows = await ctx.store.db
        .selectFrom('registry_cache')
        .select(['name', 'document', 'expires_at'])
        .where('ecosystem', '=', kind)
        .where('name', 'in', names.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        let doc: { v?: number; found?: boolean; value?: PackageMetadata };
        try {
          doc = JSON.parse(row.document);
        } catch {
          continue;
        }
        if (doc.v !== 1) continue;
        const usable = doc.found && doc.value && Array.isArray(doc.value.versions);
        out.set(`${kind}\u0000${row.name}`, { fresh: row.expires_at > now, metadata: usable ? doc.value : undefined });
      }
    }
  }
  return out;
}

/** Asks the registries about what the cache did not answer, until the time budget is spent. */
async function lookUpLive(
  ctx: AppContext,
  work: Array<{ index: number; request: Request }>,
  out: Array<RegistryFacts | undefined>,
  options: RegistryFactsOptions,
): Promise<void> {
  if (!work.length) return;
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
}
