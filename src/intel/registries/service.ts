import type { AppContext } from '../../core/context.js';
import type { Store } from '../../store/db.js';
import type { RegistryAdapter } from './adapter.js';
import { readCached, writeCached } from './cache.js';
import { registryDown } from './circuit-breaker.js';
import { RegistryNotFoundError, RegistryOfflineError, RegistryUnavailableError, RegistryUnreachableError } from './errors.js';
import { registryFor } from './registries.js';
import type { PackageVersion, RegistryMetadata, RegistryVersionFacts, VersionDetails } from './types.js';
import { ageInDays, distanceFromLatest, findVersion, isLatest } from './versions.js';

export interface RegistryMetadataRequest {
  /** Component format: `npm`, `maven`, `pypi` (case-insensitive). */
  format: string;
  /** npm `packageId` (`@types/semver`), Maven `groupId:artifactId`, PyPI project name. */
  name: string;
}

export interface RegistryVersionRequest extends RegistryMetadataRequest {
  version: string;
}

/**
 * What the package's registry says about it: versions with release dates and declared licenses,
 * the latest version, npm dependencies. Answers come from the cache until they expire
 * (`registries.ttlSeconds`; "not found" for `registries.notFoundTtlSeconds`); with
 * `registries.offline` they come from the cache only, expired or not.
 *
 * Throws ValidationError (unknown format, malformed name), RegistryNotFoundError (404),
 * RegistryOfflineError (offline and not cached), RegistryUnavailableError (timeout, 5xx, bad answer).
 */
export async function registryMetadata(ctx: AppContext, request: RegistryMetadataRequest): Promise<RegistryMetadata> {
  const adapter = registryFor(ctx.config, request.format);
  const name = adapter.normalizeName(request.name);
  const { value, ...cache } = await cachedLookup(ctx, adapter, adapter.ecosystem, name, adapter.describe(name), () => adapter.fetchPackage(name));
  return { ...value, ...cache };
}

/**
 * One version of a package with its age, whether it is the latest and its distance from it. Where
 * the package document has no licenses for the version (Maven, PyPI), the version's own document
 * is fetched (and cached) for them; offline and not cached, they stay null.
 */
export async function registryVersionFacts(ctx: AppContext, request: RegistryVersionRequest): Promise<RegistryVersionFacts> {
  const metadata = await registryMetadata(ctx, request);
  let version: PackageVersion | null = findVersion(metadata, request.version) ?? null;
  const adapter = registryFor(ctx.config, request.format);
  if (version && (version.licenses === null || version.releasedAt === null)) version = (await withVersionDetails(ctx, request.format, metadata.name, version)) ?? version;
  else if (!version && adapter.unlistedVersions) {
    // Not listed, yet it may exist (a Go pseudo-version): its own document says so, or 404s.
    const details = await withVersionDetails(ctx, request.format, metadata.name, { version: request.version, releasedAt: null, licenses: null }, true);
    version = details ?? null;
  }
  return {
    metadata,
    version,
    ageInDays: ageInDays(version?.releasedAt, ctx.now()),
    isLatest: isLatest(metadata, request.version),
    distanceFromLatest: distanceFromLatest(metadata, request.version),
  };
}

/**
 * The version with what its own document adds (licenses; the release date where the package
 * document has none). `unlisted`: the package document does not list it, so a 404 means there is
 * no such version (undefined); a listed one without a document of its own stays as it is.
 */
async function withVersionDetails(ctx: AppContext, format: string, name: string, version: PackageVersion, unlisted = false): Promise<PackageVersion | undefined> {
  const adapter = registryFor(ctx.config, format);
  const fetchVersion = adapter.fetchVersion?.bind(adapter);
  if (!fetchVersion) return unlisted ? undefined : version;
  const what = `version ${version.version} of ${adapter.describe(name)}`;
  try {
    const { value } = await cachedLookup<VersionDetails>(ctx, adapter, `${adapter.ecosystem}-version`, `${name}@${version.version}`, what, () =>
      fetchVersion(name, version.version),
    );
    return { ...version, licenses: value.licenses, releasedAt: version.releasedAt ?? value.releasedAt };
  } catch (err) {
    // Listed in the package document but without a document of its own (or offline): licenses stay unknown.
    if (err instanceof RegistryNotFoundError || err instanceof RegistryOfflineError) return unlisted ? undefined : version;
    throw err;
  }
}

interface Cached<T> {
  value: T;
  fetchedAt: string;
  expiresAt: string;
  stale: boolean;
}

/**
 * Lookups being answered, per database: a second request for something already being looked up
 * waits for the same answer instead of asking the registry again.
 */
const inFlight = new WeakMap<Store, Map<string, Promise<Cached<unknown>>>>();

/**
 * Lookups that failed lately, per database, by kind and name, with when they may be tried again
 * (`registries.failureTtlSeconds`): an unusable answer or a refusal is not asked again for every
 * component and evaluation. Failures to reach the host are the circuit breaker's, not kept here.
 */
const failures = new WeakMap<Store, Map<string, { error: RegistryUnavailableError; until: number }>>();
const MAX_FAILURES = 10_000;

/** The host each registry (by ecosystem) was last found unreachable at: whether it is down now is its circuit's. */
const unreachableOrigins = new Map<string, string>();

/** Since and until when the registry of `ecosystem` is known to be unreachable; undefined when it may be asked. */
export function registryUnreachable(ecosystem: string): { since: Date; until: Date; cause: string } | undefined {
  const origin = unreachableOrigins.get(ecosystem);
  return origin ? registryDown(origin) : undefined;
}

/** The failure remembered for a lookup (kind, name) while it is not to be tried again. */
export function recentLookupFailure(ctx: AppContext, kind: string, name: string): RegistryUnavailableError | undefined {
  const failure = failures.get(ctx.store)?.get(`${kind}\u0000${name}`);
  return failure && failure.until > ctx.now().getTime() ? failure.error : undefined;
}

function rememberFailure(ctx: AppContext, key: string, error: RegistryUnavailableError): void {
  const ttlMs = ctx.config.registries.failureTtlSeconds * 1000;
  if (ttlMs <= 0) return;
  let map = failures.get(ctx.store);
  if (!map) {
    map = new Map();
    failures.set(ctx.store, map);
  }
  if (map.size >= MAX_FAILURES) map.clear();
  map.set(key, { error, until: ctx.now().getTime() + ttlMs });
}

/** The cached answer while fresh (or offline), else the registry's, remembered for next time. */
function cachedLookup<T>(ctx: AppContext, adapter: RegistryAdapter, kind: string, name: string, what: string, fetch: () => Promise<T>): Promise<Cached<T>> {
  let pending = inFlight.get(ctx.store);
  if (!pending) {
    pending = new Map();
    inFlight.set(ctx.store, pending);
  }
  const key = `${kind}\u0000${name}`;
  const running = pending.get(key);
  if (running) return running as Promise<Cached<T>>;
  const lookup = lookUp(ctx, adapter, kind, name, what, fetch).finally(() => pending.delete(key));
  pending.set(key, lookup);
  return lookup;
}

async function lookUp<T>(ctx: AppContext, adapter: RegistryAdapter, kind: string, name: string, what: string, fetch: () => Promise<T>): Promise<Cached<T>> {
  const { offline, ttlSeconds, notFoundTtlSeconds } = ctx.config.registries;
  const now = ctx.now();
  const cached = await readCached<T>(ctx, kind, name);
  if (cached && (offline || cached.expiresAt > now.toISOString())) {
    if (!cached.answer.found) throw new RegistryNotFoundError(`${what} was not found in ${adapter.registry} (as of ${cached.fetchedAt}).`);
    return { value: cached.answer.value, fetchedAt: cached.fetchedAt, expiresAt: cached.expiresAt, stale: cached.expiresAt <= now.toISOString() };
  }
  if (offline) {
    throw new RegistryOfflineError(
      `${what} is not in the registry cache, and registries are offline (registries.offline), so ${adapter.registry} was not asked.`,
    );
  }
  const failed = recentLookupFailure(ctx, kind, name);
  if (failed) throw failed;
  const fetchedAt = now.toISOString();
  try {
    const value = await fetch();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    await writeCached(ctx, kind, name, { answer: { found: true, value }, fetchedAt, expiresAt });
    return { value, fetchedAt, expiresAt, stale: false };
  } catch (err) {
    if (err instanceof RegistryNotFoundError) {
      const expiresAt = new Date(now.getTime() + notFoundTtlSeconds * 1000).toISOString();
      await writeCached(ctx, kind, name, { answer: { found: false }, fetchedAt, expiresAt });
    } else if (err instanceof RegistryUnreachableError) {
      unreachableOrigins.set(adapter.ecosystem, err.origin);
    } else if (err instanceof RegistryUnavailableError) {
      rememberFailure(ctx, `${kind}\u0000${name}`, err);
    }
    throw err;
  }
}
