/**
 * Reads OSV records from a directory of `*.json` files (and its subdirectories), one file at a time.
 * Symbolic links are not followed, so the import reads only what lies under the directory.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type OsvSource, RejectedSourceError, type SourceEntry, type SourceLimits } from './source-types.js';

async function listJsonFiles(root: string, label: string, limits: SourceLimits): Promise<string[]> {
  const files: string[] = [];
  const folders = [root];
  let seen = 0;
  while (folders.length > 0) {
    const folder = folders.pop()!;
    for (const dirent of await readdir(folder, { withFileTypes: true })) {
      if (++seen > limits.maxEntries) throw new RejectedSourceError(`${label}: more than ${limits.maxEntries} entries`);
      const path = join(folder, dirent.name);
      if (dirent.isDirectory()) folders.push(path);
      else if (dirent.isFile() && dirent.name.toLowerCase().endsWith('.json')) files.push(path);
    }
  }
  // File-name order, so that imports and their reports are the same from run to run.
  return files.sort();
}

export async function openDirectorySource(root: string, label: string, limits: SourceLimits): Promise<OsvSource> {
  const files = await listJsonFiles(root, label, limits);
  async function* entries(): AsyncGenerator<SourceEntry> {
    let total = 0;
    for (const path of files) {
      const name = relative(root, path);
      const info = await lstat(path);
      if (!info.isFile()) continue;
      if (info.size > limits.maxEntryBytes) {
        throw new RejectedSourceError(`${label}: ${name} is ${info.size} bytes, more than the limit of ${limits.maxEntryBytes}`);
      }
      total += info.size;
      if (total > limits.maxTotalBytes) throw new RejectedSourceError(`${label}: more than ${limits.maxTotalBytes} bytes in all`);
      yield { name, text: await readFile(path, 'utf8') };
    }
  }
  return { label, total: files.length, entries };
}
