// Policies: defined on the root organization, an organization or an application and inherited
// down the organization tree. Constraints and conditions are kept as JSON: they are read and
// written whole, and compiled in memory for evaluation.

declare module '../schema.js' {
  interface Database {
    policies: PolicyTable;
  }
}

export interface PolicyTable {
  id: string;
  /** organization | application */
  owner_type: string;
  owner_id: string;
  name: string;
  /** The name lower-cased and trimmed: names are unique per owner in this form. */
  name_key: string;
  /** 0–10 */
  threat_level: number;
  /** JSON: stage id → warn | fail */
  actions: string;
  /** JSON: Constraint[] (policy/model.ts) */
  constraints: string;
  /** JSON: application category ids the policy is limited to; [] for all applications */
  tag_ids: string;
  /** JSON: the reference's Notifications object, or null */
  notifications: string | null;
  created_at: string;
  updated_at: string;
}
