import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { cargoLockReader } from './cargo.js';
import { composerLockReader } from './composer.js';
import { goModReader, goSumReader } from './go.js';
import { gradleLockfileReader, pomReader } from './jvm.js';
import { packageLockReader } from './npm.js';
import { nugetLockReader } from './nuget.js';
import { pnpmLockReader } from './pnpm.js';
import { pipfileLockReader, poetryLockReader, requirementsReader } from './python.js';
import { type LockfileReader, readsFile } from './reader.js';
import { gemfileLockReader } from './ruby.js';
import { yarnLockReader } from './yarn.js';

/** Every lockfile and manifest reader. */
const READERS: readonly LockfileReader[] = [
  packageLockReader, yarnLockReader, pnpmLockReader, requirementsReader, poetryLockReader, pipfileLockReader, goModReader,
  goSumReader, cargoLockReader, gemfileLockReader, composerLockReader, gradleLockfileReader, nugetLockReader, pomReader,
];

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
  return reader.read(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
