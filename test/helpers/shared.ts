import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project's shared material (../shared beside the checkout): read in tests, never committed. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** The path of a file under ../shared, or undefined (with a printed notice) when it is absent. */
export function sharedFile(relative: string): string | undefined {
  const path = SHARED + relative;
  if (existsSync(path)) return path;
  console.warn(`notice: ${path} is absent; tests that need it are skipped`);
  return undefined;
}

export function readShared(relative: string): Buffer {
  return readFileSync(SHARED + relative);
}
