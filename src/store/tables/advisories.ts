// Vulnerability advisories imported from OSV records (intel/advisories).

declare module '../schema.js' {
  interface Database {
    advisories: AdvisoryTable;
    advisory_packages: AdvisoryPackageTable;
    advisory_aliases: AdvisoryAliasTable;
    advisory_imports: AdvisoryImportTable;
  }
}

/** One OSV record, as last imported. */
export interface AdvisoryTable {
  /** the OSV id, e.g. `PYSEC-2021-1`, `GHSA-…`, `GO-2022-0969` */
  id: string;
  /** canonical id of the alias group: one vulnerability, all its records and names */
  group_id: string;
  /** `YYYY-MM-DDTHH:MM:SS.fffffffffZ`, so text order is time order */
  modified: string;
  published: string | null;
  /** set when the record was withdrawn: it is kept but matches nothing */
  withdrawn: string | null;
  summary: string | null;
  /** JSON array of the record's aliases */
  aliases: string;
  /** JSON array of `{type, score}` severity vectors (record and affected entries) */
  severity: string;
  /** JSON array of `CWE-n` */
  cwe_ids: string;
  /** the highest qualitative rating the record gives (`HIGH`, `MODERATE`, …; osv.ts recordRating), or null */
  rating: string | null;
  /** the file it came from, e.g. `PyPI-all.zip` */
  source: string;
  imported_at: string;
  /** the OSV record, JSON */
  record: string;
}

/** One `affected` entry of a record, keyed by package for the matcher. */
export interface AdvisoryPackageTable {
  advisory_id: string;
  /** position in the record's `affected` list */
  seq: number;
  /** OSV ecosystem, lowercase (`pypi`, `go`, `debian:11`) */
  ecosystem: string;
  /** package name normalized for the ecosystem */
  name: string;
  /** the `affected` entry, JSON */
  affected: string;
}

/** Every name a record answers to: its id and its aliases. */
export interface AdvisoryAliasTable {
  alias: string;
  advisory_id: string;
}

/** One import of one source, successful or rejected. */
export interface AdvisoryImportTable {
  id: string;
  source: string;
  /** imported | rejected */
  status: string;
  started_at: string;
  finished_at: string;
  added: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  rejected: number;
  /** JSON: `{ error }` for a rejected source, `{ rejected: [{ entry, id, reason }] }` otherwise */
  detail: string | null;
}
