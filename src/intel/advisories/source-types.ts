/**
 * Where OSV records come from: a zip laid out like the public OSV export (`<Ecosystem>/all.zip`, one
 * `<ID>.json` per record) or a directory of JSON files. Entries are read one at a time, so neither
 * the archive nor its records are ever all in memory; the limits below stop hostile archives.
 */
import { ValidationError } from '../../core/errors.js';

export interface SourceLimits {
  /** entries (files, directories) in one archive or directory */
  maxEntries: number;
  /** uncompressed bytes of one record; real OSV records are a few KiB, the largest about 1 MiB */
  maxEntryBytes: number;
  /** uncompressed bytes of the whole archive */
  maxTotalBytes: number;
  /** largest uncompressed:compressed ratio of an entry bigger than `ratioCheckAboveBytes` */
  maxRatio: number;
  ratioCheckAboveBytes: number;
}

export const DEFAULT_LIMITS: SourceLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 100,
  ratioCheckAboveBytes: 1024 * 1024,
};

export interface SourceEntry {
  /** the entry's name inside the archive or directory */
  name: string;
  text: string;
}

export interface OsvSource {
  /** file or directory name, for messages */
  label: string;
  /** how many entries there are (for progress; some may be skipped, e.g. directories) */
  total: number;
  entries(): AsyncGenerator<SourceEntry>;
}

/** The whole source is refused: nothing from it is stored. */
export class RejectedSourceError extends ValidationError {}

/** Names that would leave the archive's root if extracted: a sign of a hostile archive. */
export function escapesRoot(name: string): boolean {
  return name.includes('\\') || name.includes('\0') || /^[a-zA-Z]:/.test(name) || name.startsWith('/') || name.split('/').includes('..');
}
