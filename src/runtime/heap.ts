import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects
 * again: +50%.
 *
 * The server keeps a large, long-lived advisory index (~100 MiB for 100,000 records) and each big
 * evaluation makes a few hundred MiB of short-lived objects. With V8's own factor (up to 4× the
 * live heap) that garbage piled up across back-to-back 10,000-component evaluations to 1.2 GiB of
 * RSS; at +50% the server stays near 550 MiB, and the evaluations take no longer (measured with
 * `npm run bench evaluation`). Set once per process, before the index is built.
 */
const HEAP_GROWING_PERCENT = 50;

let applied = false;

/** Whether node was started with its own growth, on its command line or in NODE_OPTIONS. */
export function heapGrowthGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
}

/** Sets the growth once per process, unless node was started with its own (`node --heap-growing-percent=N`). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  if (!heapGrowthGiven(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
