// Tables of the application hierarchy beyond the foundation: component labels and data retention.

declare module '../schema.js' {
  interface Database {
    component_labels: ComponentLabelTable;
    data_retention_policies: DataRetentionPolicyTable;
  }
}

/** A component label defined on an organization or an application, inherited down the tree. */
export interface ComponentLabelTable {
  id: string;
  /** organization | application */
  owner_type: string;
  owner_id: string;
  /** set when the owner is an organization (deleting it deletes the label) */
  organization_id: string | null;
  /** set when the owner is an application (deleting it deletes the label) */
  application_id: string | null;
  label: string;
  /** the label lower-cased: unique per owner */
  label_key: string;
  description: string;
  /** one of the label colors, e.g. light-red, dark-blue, orange */
  color: string;
}

/** An organization's own data retention policy; organizations without a row inherit their parent's. */
export interface DataRetentionPolicyTable {
  organization_id: string;
  /** JSON: { applicationReports: { stages: { <stage>: {...} } }, successMetrics: {...} } as stored */
  policy: string;
  updated_at: string;
}
