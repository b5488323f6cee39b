import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { readCargoLock } from './cargo.js';
import { readComposerLock } from './composer.js';
import { readGoMod, readGoSum } from './go.js';
import { readGradleLockfile, readPom } from './jvm.js';
import { readPackageLock } from './npm.js';
import { readNugetLock } from './nuget.js';
import { readPnpmLock } from './pnpm.js';
import { readPipfileLock, readPoetryLock, readRequirements } from './python.js';
import { readGemfileLock } from './ruby.js';
import { readYarnLock } from './yarn.js';

/** Each lockfile or manifest reader, by the file names it reads. */
const READERS: Array<[RegExp, (text: string) => Sbom]> = [
  [/(^|\/)(package-lock|npm-shrinkwrap)\.json$/, readPackageLock],
  [/(^|\/)yarn\.lock$/, readYarnLock],
  [/(^|\/)pnpm-lock\.yaml$/, readPnpmLock],
  [/(^|\/)[^/]*requirements[^/]*\.txt$/, readRequirements],
  [/(^|\/)poetry\.lock$/, readPoetryLock],
  [/(^|\/)Pipfile\.lock$/, readPipfileLock],
  [/(^|\/)go\.mod$/, readGoMod],
  [/(^|\/)go\.sum$/, readGoSum],
  [/(^|\/)Cargo\.lock$/, readCargoLock],
  [/(^|\/)Gemfile\.lock$/, readGemfileLock],
  [/(^|\/)composer\.lock$/, readComposerLock],
  [/(^|\/)gradle\.lockfile$/, readGradleLockfile],
  [/(^|\/)packages\.lock\.json$/, readNugetLock],
  [/(^|\/)pom\.xml$/, readPom],
];

export const LOCKFILE_NAMES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'requirements.txt', 'poetry.lock',
  'Pipfile.lock', 'go.mod', 'go.sum', 'Cargo.lock', 'Gemfile.lock', 'composer.lock', 'gradle.lockfile',
  'packages.lock.json', 'pom.xml',
];

export function isLockfileName(fileName: string): boolean {
  return READERS.some(([pattern]) => pattern.test(fileName));
}

/** Reads a lockfile or manifest, chosen by its file name. */
export function readLockfile(fileName: string, content: string | Buffer): Sbom {
  const reader = READERS.find(([pattern]) => pattern.test(fileName))?.[1];
  if (!reader) throw new SbomError(`no reader for "${fileName}": supported are ${LOCKFILE_NAMES.join(', ')}`);
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
