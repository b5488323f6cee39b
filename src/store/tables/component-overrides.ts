// What people decide about components: claims, license and security overrides, applied labels.

declare module '../schema.js' {
  interface Database {
    component_claims: ComponentClaimTable;
    license_overrides: LicenseOverrideTable;
    security_overrides: SecurityOverrideTable;
    component_label_assignments: ComponentLabelAssignmentTable;
  }
}

/** A claim: the coordinates of a component known only by its hash. Global, one per hash. */
export interface ComponentClaimTable {
  /** 20 lowercase hex characters */
  hash: string;
  /** canonical format name, e.g. maven */
  format: string;
  /** JSON object of the identifier's coordinates (normalized) */
  coordinates: string;
  /** canonical package URL */
  package_url: string;
  comment: string | null;
  /** when the component was published, ISO-8601 exactly as the claimer gave it */
  create_time: string | null;
  claimer_id: string | null;
  claimer_name: string | null;
  /** when the claim was made or last changed */
  claimed_at: string;
}

/** Columns every owner-scoped override shares. */
interface OwnedComponentRow {
  id: string;
  /** organization | application */
  owner_type: string;
  owner_id: string;
  /** set when the owner is an organization (deleting it deletes the row) */
  organization_id: string | null;
  /** set when the owner is an application (deleting it deletes the row) */
  application_id: string | null;
  /** `purl:<canonical package URL>` or `hash:<component hash>` (`*` for every component) */
  component_key: string;
  component_hash: string | null;
  package_url: string | null;
  /** JSON {format, coordinates}, normalized */
  component_identifier: string | null;
  comment: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A license override of one component on an organization or application. */
export interface LicenseOverrideTable extends OwnedComponentRow {
  /** OPEN | ACKNOWLEDGED | OVERRIDDEN | SELECTED | CONFIRMED */
  status: string;
  /** JSON array of license ids (SPDX, LicenseRef-…, special ids) in canonical spelling */
  license_ids: string;
}

/** A security vulnerability's status for one component (or every component) on an owner. */
export interface SecurityOverrideTable extends OwnedComponentRow {
  /** CVE-…, sonatype-…, GHSA-…, or another advisory id */
  reference_id: string;
  /** OPEN | ACKNOWLEDGED | NOT_APPLICABLE | CONFIRMED */
  status: string;
}

/** A component label applied to a component (by hash) within an organization or application. */
export interface ComponentLabelAssignmentTable {
  label_id: string;
  component_hash: string;
  owner_type: string;
  owner_id: string;
  organization_id: string | null;
  application_id: string | null;
  assigned_by: string | null;
  assigned_at: string;
}
