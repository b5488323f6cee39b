import { readdir } from 'node:fs/promises';
import type { JobHandler } from './types.js';

/**
 * Job handlers are discovered like route modules: every file in jobs/handlers/ whose default export
 * is a handler (`{ type, run }`) is loaded, so an area adds its job type without editing a list.
 */
export async function loadJobHandlers(): Promise<JobHandler[]> {
  const folder = new URL('./handlers/', import.meta.url);
  let files: string[];
  try {
    files = (await readdir(folder)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const handlers: JobHandler[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, folder).href)) as { default?: Partial<JobHandler> };
    const handler = mod.default;
    if (handler && typeof handler.type === 'string' && typeof handler.run === 'function') handlers.push(handler as JobHandler);
  }
  return handlers;
}
