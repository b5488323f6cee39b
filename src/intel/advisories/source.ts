/** Opens an OSV source, a zip archive or a directory, by what the path is. */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { openDirectorySource } from './dir-source.js';
import { DEFAULT_LIMITS, type OsvSource, RejectedSourceError, type SourceLimits } from './source-types.js';
import { openZipSource } from './zip-source.js';

export { DEFAULT_LIMITS, RejectedSourceError } from './source-types.js';
export type { OsvSource, SourceEntry, SourceLimits } from './source-types.js';

export interface OpenOptions {
  limits?: SourceLimits;
  /** name used in messages; default the file's name */
  label?: string;
}

export async function openOsvSource(path: string, options: OpenOptions = {}): Promise<OsvSource> {
  const label = options.label ?? (basename(path) || path);
  const limits = options.limits ?? DEFAULT_LIMITS;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    throw new RejectedSourceError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (info.isDirectory()) return openDirectorySource(path, label, limits);
  return openZipSource(path, label, limits);
}

