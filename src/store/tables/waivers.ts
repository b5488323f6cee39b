// Policy waivers (services/decisions/policy-waivers.ts): owned by an organization or application.

declare module '../schema.js' {
  interface Database {
    policy_waivers: PolicyWaiverTable;
  }
}

export interface PolicyWaiverTable {
  id: string;
  /** organization | application */
  owner_type: string;
  owner_id: string;
  /** set when the owner is an organization (deleting it deletes the waiver) */
  organization_id: string | null;
  /** set when the owner is an application (deleting it deletes the waiver) */
  application_id: string | null;
  policy_id: string;
  /** EXACT_COMPONENT | ALL_VERSIONS | ALL_COMPONENTS */
  matcher_strategy: string;
  /** EXACT_COMPONENT: the component's hash as evaluation knows it */
  component_hash: string | null;
  /** EXACT_COMPONENT and ALL_VERSIONS: the component's package URL (ALL_VERSIONS compares it without its version) */
  package_url: string | null;
  /** JSON {format, coordinates} */
  component_identifier: string | null;
  display_name: string | null;
  /** The violation the waiver was made from. */
  policy_violation_id: string | null;
  /** JSON: the reference's ConstraintFact list of that violation */
  constraint_facts: string | null;
  comment: string;
  reason_id: string | null;
  /** ISO-8601; null for a waiver that does not expire */
  expiry_time: string | null;
  /** 0/1 */
  expire_when_remediation_available: number;
  creator_id: string | null;
  creator_name: string | null;
  created_at: string;
}
