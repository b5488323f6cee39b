import type { AppContext } from '../../services/context.js';
import type { Store } from '../../store/db.js';
import type { RegistryAdapter } from './adapter.js';
import { type CacheEntry, readCachedPackage, writeCachedPackage } from './cache.js';
import { RegistryNotFoundError, RegistryOfflineError } from './errors.js';
import { registryFor } from './registries.js';
import type { RegistryMetadata } from './types.js';

export interface RegistryMetadataRequest {
  /** Component format: `npm`, `maven`, `pypi` (case-insensitive). */
  format: string;
  /** npm `packageId` (`@types/semver`), Maven `groupId:artifactId`, PyPI project name. */
  name: string;
}

/**
 * Requests being answered, per database: a second request for a package that is already being
 * looked up waits for the same answer instead of asking the registry again.
 */
const inFlight = new WeakMap<Store, Map<string, Promise<RegistryMetadata>>>();

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
  let pending = inFlight.get(ctx.store);
  if (!pending) {
    pending = new Map();
    inFlight.set(ctx.store, pending);
  }
  const key = `${adapter.ecosystem}:${name}`;
  const running = pending.get(key);
  if (running) return running;
  const lookup = lookUp(ctx, adapter, name).finally(() => pending.delete(key));
  pending.set(key, lookup);
  return lookup;
}

async function lookUp(ctx: AppContext, adapter: RegistryAdapter, name: string): Promise<RegistryMetadata> {
  const { offline, ttlSeconds, notFoundTtlSeconds } = ctx.config.registries;
  const what = adapter.describe(name);
  const now = ctx.now();
  const cached = await readCachedPackage(ctx, adapter.ecosystem, name);
  if (cached && (offline || cached.expiresAt > now.toISOString())) return fromCache(cached, adapter, what, now);
  if (offline) {
    throw new RegistryOfflineError(
      `${what} is not in the registry cache, and registries are offline (registries.offline), so ${adapter.registry} was not asked.`,
    );
  }
  const fetchedAt = now.toISOString();
  try {
    const metadata = await adapter.fetchPackage(name);
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    await writeCachedPackage(ctx, adapter.ecosystem, name, { answer: { found: true, metadata }, fetchedAt, expiresAt });
    return { ...metadata, fetchedAt, expiresAt, stale: false };
  } catch (err) {
    if (err instanceof RegistryNotFoundError) {
      const expiresAt = new Date(now.getTime() + notFoundTtlSeconds * 1000).toISOString();
      await writeCachedPackage(ctx, adapter.ecosystem, name, { answer: { found: false }, fetchedAt, expiresAt });
    }
    throw err;
  }
}

function fromCache(cached: CacheEntry, adapter: RegistryAdapter, what: string, now: Date): RegistryMetadata {
  if (!cached.answer.found) {
    throw new RegistryNotFoundError(`${what} was not found in ${adapter.registry} (as of ${cached.fetchedAt}).`);
  }
  return { ...cached.answer.metadata, fetchedAt: cached.fetchedAt, expiresAt: cached.expiresAt, stale: cached.expiresAt <= now.toISOString() };
}
