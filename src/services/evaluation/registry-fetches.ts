import type { RegistryFetch } from '../../evaluation/registry-facts.js';
import {
  RegistryNotFoundError,
  RegistryUnavailableError,
  RegistryUnreachableError,
  registryMetadata,
  registryVersionFacts,
} from '../../intel/registries/index.js';
import { announceJobQueued, submitJob } from '../../jobs/queue.js';
import type { JobProgress } from '../../jobs/types.js';
import type { Store } from '../../store/db.js';
import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';

/**
 * The background fetch of registry metadata. Evaluations read the registry cache only; what it
 * lacks (or holds expired) is queued here after the evaluation, as `registry-fetch` jobs
 * (jobs/handlers/registry-fetch.ts, a lane of their own so they never hold an evaluation's slot),
 * and the next evaluation has it.
 *
 * Batched (up to PACKAGES_PER_JOB packages a job), bounded (at most MAX_QUEUED_AT_ONCE packages
 * from one evaluation) and deduplicated: a package (or version document) queued or being fetched
 * by this process is not queued again until its job has run. That bookkeeping is the process's: a
 * second server may queue a package again, and its job then finds it in the cache and asks nobody.
 */

export const REGISTRY_FETCH_JOB = 'registry-fetch';
export const PACKAGES_PER_JOB = 200;
const MAX_QUEUED_AT_ONCE = 10_000;
/** Lookups at once within a job. */
const CONCURRENCY = 8;
/** A key counts as queued at most this long (a job run elsewhere, or lost, never clears it). */
const QUEUED_FOR_MS = 30 * 60_000;

export interface RegistryFetchPayload {
  packages: RegistryFetch[];
}

export interface RegistryFetchResult {
  packages: number;
  /** Package and version documents now in the cache (fetched, or found fresh there). */
  fetched: number;
  notFound: number;
  /** Lookups that failed because the registry is unreachable (its circuit open: costing nothing). */
  unreachable: number;
  failed: number;
}

const queued = new WeakMap<Store, Map<string, number>>();

function queuedOf(store: Store): Map<string, number> {
  let map = queued.get(store);
  if (!map) {
    map = new Map();
    queued.set(store, map);
  }
  return map;
}

const packageKey = (f: Pick<RegistryFetch, 'format' | 'name'>) => `${f.format}\u0000${f.name}`;
const keysOf = (f: RegistryFetch) => [packageKey(f), ...f.versions.map((v) => `${packageKey(f)}@${v}`)];

/**
 * Queues background fetches for what an evaluation found missing; returns how many packages were
 * queued. Never throws: the evaluation is done, and what is not queued now is found missing again
 * by the next one.
 */
export async function queueRegistryFetches(ctx: AppContext, fetches: readonly RegistryFetch[]): Promise<number> {
  if (!fetches.length || ctx.config.registries.offline) return 0;
  const map = queuedOf(ctx.store);
  const now = Date.now();
  if (map.size > 50_000) for (const [key, until] of map) if (until <= now) map.delete(key);
  const isQueued = (key: string) => (map.get(key) ?? 0) > now;
  const fresh: RegistryFetch[] = [];
  for (const f of fetches) {
    const versions = f.versions.filter((v) => !isQueued(`${packageKey(f)}@${v}`));
    if (isQueued(packageKey(f)) && !versions.length) continue;
    fresh.push({ format: f.format, name: f.name, versions });
    if (fresh.length >= MAX_QUEUED_AT_ONCE) break;
  }
  let submitted = 0;
  try {
    for (let i = 0; i < fresh.length; i += PACKAGES_PER_JOB) {
      const packages = fresh.slice(i, i + PACKAGES_PER_JOB);
      for (const f of packages) for (const key of keysOf(f)) map.set(key, now + QUEUED_FOR_MS);
      await submitJob<RegistryFetchPayload>(ctx, { type: REGISTRY_FETCH_JOB, payload: { packages } });
      submitted += packages.length;
    }
  } catch (err) {
    // A full queue, a database error: the rest is found missing again by the next evaluation.
    for (const f of fresh.slice(submitted)) for (const key of keysOf(f)) map.delete(key);
    ctx.log.warn({ err, packages: fresh.length - submitted }, 'registry metadata could not be queued for fetching; the next evaluation queues it again');
  }
  if (submitted) announceJobQueued();
  return submitted;
}

/**
 * Fetches the packages (and the version documents named) into the registry cache: a package the
 * cache holds fresh costs nothing, an expired one is fetched again. Registry failures are counted,
 * not thrown (a registry that is down fails at once through its circuit breaker); anything else
 * (the database) fails the job, which the queue retries.
 */
export async function runRegistryFetches(
  ctx: AppContext,
  payload: RegistryFetchPayload,
  options: { signal?: AbortSignal; progress?: (p: JobProgress) => Promise<void> } = {},
): Promise<RegistryFetchResult> {
  const packages = payload.packages ?? [];
  const result: RegistryFetchResult = { packages: packages.length, fetched: 0, notFound: 0, unreachable: 0, failed: 0 };
  const map = queuedOf(ctx.store);
  const count = (err: unknown): boolean => {
    if (err instanceof RegistryNotFoundError) result.notFound++;
    else if (err instanceof RegistryUnreachableError) result.unreachable++;
    else if (err instanceof RegistryUnavailableError || err instanceof ValidationError) result.failed++;
    else throw err;
    return false;
  };
  let done = 0;
  const fetchOne = async (f: RegistryFetch) => {
    try {
      const listed = await registryMetadata(ctx, { format: f.format, name: f.name }).then(() => true, count);
      if (listed) result.fetched++;
      for (const version of listed ? f.versions : []) {
        if (await registryVersionFacts(ctx, { format: f.format, name: f.name, version }).then(() => true, count)) result.fetched++;
      }
    } finally {
      for (const key of keysOf(f)) map.delete(key);
    }
    done++;
    if (options.progress && (done % 50 === 0 || done === packages.length)) await options.progress({ done, total: packages.length, message: 'registry metadata fetched' });
  };
  // Each registry's first package alone, the rest of it after: a registry that is down then costs
  // one failed request (its circuit opens), not one per lookup already under way.
  const firsts = new Map<string, RegistryFetch>();
  for (const f of packages) if (!firsts.has(f.format)) firsts.set(f.format, f);
  const rest = packages.filter((f) => firsts.get(f.format) !== f);
  let next = 0;
  const worker = async () => {
    while (next < rest.length && !options.signal?.aborted) await fetchOne(rest[next++]);
  };
  await Promise.all([...firsts.values()].map(fetchOne));
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rest.length) }, worker));
  return result;
}
