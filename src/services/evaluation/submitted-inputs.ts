import type { Sbom } from '../../sbom/model.js';

/**
 * SBOMs read at submission, kept for the job that evaluates them when it runs in this process soon
 * after (as it does: the submission wakes the local workers), so that a 10,000-component SBOM is
 * not parsed twice. The stored text stays the source of truth: a job that finds nothing here
 * (another process, a restart, an evicted entry) reads it again. A few entries at most: each is
 * taken by its job within milliseconds.
 */
const MAX_KEPT = 4;
const kept = new Map<string, Sbom>();

export function keepSubmittedInput(requestId: string, sbom: Sbom): void {
  kept.set(requestId, sbom);
  while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
}

/** The SBOM kept for a request, once (it is forgotten as it is taken). */
export function takeSubmittedInput(requestId: string): Sbom | undefined {
  const sbom = kept.get(requestId);
  kept.delete(requestId);
  return sbom;
}

export function forgetSubmittedInput(requestId: string): void {
  kept.delete(requestId);
}
