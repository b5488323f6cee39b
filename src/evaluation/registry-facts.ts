import type { ComponentIdentifier } from '../ecosystems/types.js';
import {
  ageInDays,
  distanceFromLatest,
  findVersion,
  isLatest,
  type PackageMetadata,
  registryFor,
  registryVersionFacts,
} from '../intel/registries/index.js';
import type { AppContext } from '../services/context.js';
import type { RegistryCacheTable as RegistryCacheRow } from '../store/tables/registries.js';

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

  // Which packages the cache holds, and since when (a small query); only the documents of versions
  // not answered before from the same cached document are read and parsed.
  const keys = work.map((w) => cacheKey(ctx, w.request));
  const cached = await cachedAnswers(ctx, keys);
  const now = ctx.now();
  const unread: Array<{ index: number; key: string; fetchedAt: string; version: string }> = [];
  const remaining = work.filter(({ index, request }, n) => {
    const key = keys[n];
    const entry = cached.get(key);
    if (!entry) return !ctx.config.registries.offline;
    if (entry.fresh || ctx.config.registries.offline) {
      const known = versionFacts.get(versionFactsKey(key, entry.fetchedAt, request.version));
      if (known === undefined) unread.push({ index, key, fetchedAt: entry.fetchedAt, version: request.version });
      else if (known) out[index] = withAge(known, now);
      return false;
    }
    return true;
  });
  if (unread.length) await readCachedFacts(ctx, unread, out, now);
  await lookUpLive(ctx, remaining, out, options);
  return out.map((f) => (f ? { ...f } : undefined));
}

/**
 * What one cached registry answer says about one version, by package, fetch time and version.
 * Reading a cached package document means parsing it (tens of KiB for a popular npm package) and
 * ordering its versions: for a 10,000-component SBOM that took seconds on every evaluation. The
 * age is kept as the release date (it grows with the clock). null: the answer knows no such
 * package. Bounded: past the limit it starts over.
 */
interface VersionFacts {
  releasedAt: string | null;
  isLatest?: boolean;
  versionDistance?: number;
}
const MAX_VERSION_FACTS = 100_000;
const versionFacts = new Map<string, VersionFacts | null>();

const versionFactsKey = (key: string, fetchedAt: string, version: string) => `${key}\u0000${fetchedAt}\u0000${version}`;

function rememberVersionFacts(key: string, facts: VersionFacts | null): void {
  if (versionFacts.size >= MAX_VERSION_FACTS) versionFacts.clear();
  versionFacts.set(key, facts);
}

function withAge(facts: VersionFacts, now: Date): RegistryFacts {
  const result: RegistryFacts = {};
  const age = ageInDays(facts.releasedAt, now);
  if (age !== null) result.ageInDays = age;
  if (facts.isLatest !== undefined) result.isLatest = facts.isLatest;
  if (facts.versionDistance !== undefined) result.versionDistance = facts.versionDistance;
  return result;
}

function versionFactsFrom(metadata: PackageMetadata, version: string): VersionFacts {
  const found = findVersion(metadata, version);
  const facts: VersionFacts = { releasedAt: found?.releasedAt ?? null };
  if (found) facts.isLatest = isLatest(metadata, version);
  const distance = distanceFromLatest(metadata, version);
  if (distance !== null) facts.versionDistance = distance;
  return facts;
}

/** Reads the cached documents the versions need, once per package, and remembers what each says of its versions. */
async function readCachedFacts(
  ctx: AppContext,
  unread: Array<{ index: number; key: string; fetchedAt: string; version: string }>,
  out: Array<RegistryFacts | undefined>,
  now: Date,
): Promise<void> {
  const documents = new Map<string, { fetchedAt: string; metadata?: PackageMetadata }>();
  for (const [key, row] of await cacheRows(ctx, unread.map((u) => u.key), ['document', 'fetched_at'])) {
    documents.set(key, { fetchedAt: row.fetched_at, metadata: usableMetadata(row.document) });
  }
  for (const u of unread) {
    const doc = documents.get(u.key);
    // Re-fetched since the first query: the answer is the newer document's, remembered under its time.
    if (!doc) continue;
    const facts = doc.metadata ? versionFactsFrom(doc.metadata, u.version) : null;
    rememberVersionFacts(versionFactsKey(u.key, doc.fetchedAt, u.version), facts);
    if (facts) out[u.index] = withAge(facts, now);
  }
}

/** A cached document's package metadata, when it is one in the layout intel/registries/cache.ts writes (`{v: 1, found, value}`). */
function usableMetadata(document: string): PackageMetadata | undefined {
  let doc: { v?: number; found?: boolean; value?: PackageMetadata };
  try {
    doc = JSON.parse(document);
  } catch {
    return undefined;
  }
  if (doc.v !== 1 || !doc.found || !doc.value || !Array.isArray(doc.value.versions)) return undefined;
  return doc.value;
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
 * Which of the requests' packages the cache holds, fresh or not, and when each was fetched: read in
 * bulk, documents left in the database. A document in another layout than intel/registries/
 * cache.ts's counts as not cached (readCachedFacts), so a change there costs a live lookup, never
 * a wrong fact.
 */
async function cachedAnswers(ctx: AppContext, keys: string[]): Promise<Map<string, { fresh: boolean; fetchedAt: string }>> {
  const now = ctx.now().toISOString();
  const out = new Map<string, { fresh: boolean; fetchedAt: string }>();
  for (const [key, row] of await cacheRows(ctx, keys, ['fetched_at', 'expires_at'])) out.set(key, { fresh: row.expires_at > now, fetchedAt: row.fetched_at });
  return out;
}

/** Columns of the registry cache rows of some packages (by cacheKey), 500 names of an ecosystem a query. */
async function cacheRows<C extends 'document' | 'fetched_at' | 'expires_at'>(
  ctx: AppContext,
  keys: readonly string[],
  columns: readonly C[],
): Promise<Map<string, Pick<RegistryCacheRow, C>>> {
  const byKind = new Map<string, Set<string>>();
  for (const key of keys) {
    if (!key) continue;
    const [kind, name] = key.split('\u0000');
    const names = byKind.get(kind) ?? new Set();
    names.add(name);
    byKind.set(kind, names);
  }
  const out = new Map<string, Pick<RegistryCacheRow, C>>();
  for (const [kind, set] of byKind) {
    const names = [...set];
    for (let i = 0; i < names.length; i += 500) {
      const rows = await ctx.store.db
        .selectFrom('registry_cache')
        .select(['name', ...columns])
        .where('ecosystem', '=', kind)
        .where('name', 'in', names.slice(i, i + 500))
        .execute();
      for (const row of rows) out.set(`${kind}\u0000${row.name}`, row as unknown as Pick<RegistryCacheRow, C>);
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
