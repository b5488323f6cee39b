import type { Sbom } from '../model.js';

/**
 * One lockfile or manifest format: the file names it reads and how. Each reader module exports
 * one per format (`packageLockReader` in npm.ts); the ecosystem descriptors list them
 * (ecosystems/<format>/index.ts), and lockfiles/index.ts picks one by file name from that list.
 */
export interface LockfileReader {
  /** The file names read, as messages list them: `package-lock.json`, `requirements.txt`. */
  readonly fileNames: readonly string[];
  /**
   * Which paths are read, where more than the names themselves are (`dev-requirements.txt`).
   * Without it, a path is read when its last segment is one of `fileNames`.
   */
  readonly pattern?: RegExp;
  /** The file's text (no byte-order mark) as an SBOM; an SbomError saying what is wrong otherwise. */
  read(text: string): Sbom;
}

/** Whether the reader reads this file name or path (`/` separated). */
export function readsFile(reader: LockfileReader, fileName: string): boolean {
  if (reader.pattern) return reader.pattern.test(fileName);
  return reader.fileNames.some((name) => fileName === name || fileName.endsWith(`/${name}`));
}
