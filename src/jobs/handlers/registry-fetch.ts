import { REGISTRY_FETCH_JOB, type RegistryFetchPayload, type RegistryFetchResult, runRegistryFetches } from '../../services/evaluation/registry-fetches.js';
import type { JobHandler } from '../types.js';

/**
 * Fetches registry metadata that evaluations found missing from the cache (services/registry-
 * fetches.ts). One at a time, in a lane of its own: a long fetch never holds a slot an evaluation
 * is waiting for, and the registries are not asked by several jobs at once.
 */
const registryFetch: JobHandler<RegistryFetchPayload, RegistryFetchResult> = {
  type: REGISTRY_FETCH_JOB,
  concurrency: 1,
  run(payload, job) {
    return runRegistryFetches(job.ctx, payload, { signal: job.signal, progress: job.progress });
  },
};

export default registryFetch;
