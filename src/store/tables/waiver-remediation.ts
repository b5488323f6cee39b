// Waivers that expired because a remediating version became available (services/decisions/waiver-remediation.ts).

declare module '../schema.js' {
  interface Database {
    waiver_remediations: WaiverRemediationTable;
  }
}

export interface WaiverRemediationTable {
  /** The policy waiver that expired (deleting it deletes this row). */
  waiver_id: string;
  /** The package URL of the version without the waived violation. */
  package_url: string;
  version: string;
  /** ISO-8601: when an evaluation found it, which is when the waiver expired. */
  found_at: string;
}
