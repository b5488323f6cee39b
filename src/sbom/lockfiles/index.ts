import { ECOSYSTEMS } from '../../ecosystems/index.js';
import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { readsFile } from './reader.js';

/** Every lockfile and manifest reader: those the ecosystem descriptors list (ecosystems/<format>/index.ts). */
const READERS = ECOSYSTEMS.flatMap((ecosystem) => ecosystem.lockfiles ?? []);

/** The file names read, as the readers name them. */
export const LOCKFILE_NAMES: readonly string[] = READERS.flatMap((reader) => reader.fileNames);

export function isLockfileName(fileName: string): boolean {
  return READERS.some((reader) => readsFile(reader, fileName));
}

/** Reads a lockfile or manifest, chosen by its file name. */
export function readLockfile(fileName: string, content: string | Buffer): Sbom {
  const reader = READERS.find((r) => readsFile(r, fileName));
  if (!reader) throw new SbomError(`no reader for "${fileName}": supported are ${LOCKFILE_NAMES.join(', ')}`);
  const text = typeof content === 'string' ? content : content.toString('utf8');
  try {
    return reader.read(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // Readers name the file by their first name; say the one sent (npm-shrinkwrap.json, not package-lock.json).
    const sent = fileName.slice(fileName.lastIndexOf('/') + 1);
    const named = reader.fileNames[0];
    if (err instanceof SbomError && sent !== named && reader.fileNames.includes(sent) && err.message.startsWith(named)) {
      throw new SbomError(sent + err.message.slice(named.length));
    }
    throw err;
  }
}
