// Tables every area relies on: people, roles, the organization tree, applications, settings, audit.

declare module '../schema.js' {
  interface Database {
    users: UserTable;
    user_tokens: UserTokenTable;
    roles: RoleTable;
    role_memberships: RoleMembershipTable;
    organizations: OrganizationTable;
    applications: ApplicationTable;
    application_categories: ApplicationCategoryTable;
    application_category_assignments: ApplicationCategoryAssignmentTable;
    settings: SettingTable;
    audit_log: AuditLogTable;
  }
}

export interface UserTable {
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  /** `scrypt$N$r$p$salt$hash`, base64 parts; null for users who may not log in with a password. */
  password_hash: string | null;
  realm: string;
  created_at: string;
  updated_at: string;
}

export interface UserTokenTable {
  user_code: string;
  username: string;
  /** scrypt hash of the pass code; the pass code itself is shown once, at creation. */
  pass_code_hash: string;
  created_at: string;
  expires_at: string | null;
}

export interface RoleTable {
  id: string;
  name: string;
  description: string;
  built_in: number;
  /** JSON array of permission ids (ApiPermissionDTO.id). */
  permissions: string;
}

export interface RoleMembershipTable {
  /** global | organization | application | repository_container | repository_manager | repository */
  owner_type: string;
  /** the owner's internal id; 'global' for global memberships */
  owner_id: string;
  role_id: string;
  /** USER | GROUP */
  member_type: string;
  member_name: string;
}

export interface OrganizationTable {
  id: string;
  name: string;
  /** null only for the root organization */
  parent_id: string | null;
  created_at: string;
}

export interface ApplicationTable {
  id: string;
  public_id: string;
  name: string;
  organization_id: string;
  contact_user_name: string | null;
  created_at: string;
}

/** Application categories ("tags"): defined on an organization, applied to applications below it. */
export interface ApplicationCategoryTable {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  /** one of the reference's colors, e.g. light-red, dark-blue */
  color: string;
}

export interface ApplicationCategoryAssignmentTable {
  application_id: string;
  category_id: string;
}

export interface SettingTable {
  /** dotted name, e.g. `config.baseUrl`, `feature.x`, `reverseProxy` */
  key: string;
  /** JSON */
  value: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  time: string;
  username: string | null;
  remote_address: string | null;
  /** e.g. `organization.create` */
  action: string;
  /** what it acted on, e.g. `organization:<id>` */
  target: string | null;
  /** JSON with the change's details (never secrets) */
  detail: string | null;
}
