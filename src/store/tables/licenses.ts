// License threat groups: named sets of licenses with a threat level, defined per organization or
// application and inherited down the organization tree.

declare module '../schema.js' {
  interface Database {
    license_threat_groups: LicenseThreatGroupTable;
    license_threat_group_licenses: LicenseThreatGroupLicenseTable;
  }
}

export interface LicenseThreatGroupTable {
  id: string;
  /** organization | application */
  owner_type: string;
  owner_id: string;
  name: string;
  /** The name lower-cased without whitespace: names are unique per owner in this form. */
  name_key: string;
  /** 0–10 */
  threat_level: number;
  created_at: string;
  updated_at: string;
}

export interface LicenseThreatGroupLicenseTable {
  id: string;
  group_id: string;
  owner_id: string;
  /** An SPDX id, LicenseRef-…, special id, or `ID WITH exception`. */
  license_id: string;
}
