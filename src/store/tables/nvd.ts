// CVE records from NVD (intel/nvd): scores, weaknesses and references for the CVE ids OSV records
// alias, and every import or sync of NVD data.

declare module '../schema.js' {
  interface Database {
    nvd_cves: NvdCveTable;
    nvd_imports: NvdImportTable;
  }
}

/** One CVE as NVD last described it. */
export interface NvdCveTable {
  /** `CVE-YYYY-NNNN…`, upper case */
  id: string;
  /** canonical `YYYY-MM-DDTHH:MM:SS.fffffffffZ` (as advisories.modified), so text order is time order */
  published: string | null;
  last_modified: string;
  /** NVD's vulnStatus: Received, Awaiting Analysis, Analyzed, Modified, Deferred, Rejected, … */
  vuln_status: string | null;
  /**
   * JSON list of `{type: 'CVSS_V2'|'CVSS_V3'|'CVSS_V4', score: <vector>, source, primary}`, newest
   * CVSS version first; always empty for a Rejected CVE
   */
  severity: string;
  /** JSON list of `CWE-n` (NVD-CWE-Other / NVD-CWE-noinfo left out); empty for a Rejected CVE */
  cwe_ids: string;
  /** the English description */
  description: string | null;
  /** JSON list of `{url, source?, tags?}` */
  references: string;
  imported_at: string;
}

/** One import of an NVD file or directory, or one sync with the NVD API, successful or rejected. */
export interface NvdImportTable {
  id: string;
  /** the file's name, or the API URL for a sync (never with its key) */
  source: string;
  /** `import` or `sync` */
  kind: string;
  /** imported | rejected */
  status: string;
  started_at: string;
  finished_at: string;
  added: number;
  updated: number;
  unchanged: number;
  /** CVE objects refused (not valid CVE records); the source itself was accepted */
  rejected: number;
  /** JSON: `{ error }` when rejected; otherwise `{ rejected: [{ entry, id, reason }], invalidVectors: [...] }` */
  detail: string | null;
  /**
   * Syncs only: the lastModified high-water mark, canonical time. Every change NVD made before it
   * has been fetched; the next sync asks for changes since then.
   */
  synced_until: string | null;
}
