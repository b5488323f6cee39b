// Proprietary components: which package URLs an organization or application declares its own.

declare module '../schema.js' {
  interface Database {
    proprietary_components: ProprietaryComponentsTable;
  }
}

/** One owner's package-URL patterns (policy/proprietary-patterns.ts); no row means none. */
export interface ProprietaryComponentsTable {
  /** organization | application */
  owner_type: string;
  owner_id: string;
  /** set when the owner is an organization (deleting it deletes the row) */
  organization_id: string | null;
  /** set when the owner is an application (deleting it deletes the row) */
  application_id: string | null;
  /** JSON array of patterns, in the order given */
  package_url_patterns: string;
  updated_by: string | null;
  updated_at: string;
}
