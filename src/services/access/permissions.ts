/**
 * Permissions and built-in roles, as the reference product names them (ApiPermissionDTO.id).
 * Global permissions (the first category) only come from global role memberships; the others are
 * granted on an owner (organization or application) and inherited down the organization tree.
 */
export const PERMISSION_CATEGORIES = [
  {
    displayName: 'Administrator',
    permissions: [
      ['CONFIGURE_SYSTEM', 'Edit System Configuration and Users', 'Configure the system, its users and their tokens'],
      ['EDIT_ROLES', 'Edit Roles', 'Create, change and delete custom roles'],
      ['VIEW_ROLES', 'View Roles', 'See the roles and who holds them'],
      ['ACCESS_AUDIT_LOG', 'Access Audit Log', 'Read the audit log'],
      ['VIEW_USAGE', 'View Usage', 'See product usage figures'],
    ],
  },
  {
    displayName: 'IQ',
    permissions: [
      ['READ', 'View IQ Elements', 'See organizations, applications, policies and reports'],
      ['WRITE', 'Edit IQ Elements', 'Create and change organizations, applications, policies and labels'],
      ['EDIT_ACCESS_CONTROL', 'Edit Access Control', 'Grant and revoke roles on organizations and applications'],
      ['EVALUATE_APPLICATION', 'Evaluate Applications', 'Submit applications for policy evaluation'],
      ['EVALUATE_COMPONENT', 'Evaluate Individual Components', 'Evaluate single components against policies'],
      ['ADD_APPLICATION', 'Add Applications', 'Create applications in an organization'],
      ['MANAGE_AUTOMATIC_APPLICATION_CREATION', 'Manage Automatic Application Creation', 'Configure automatic application creation'],
      ['MANAGE_AUTOMATIC_SCM_CONFIGURATION', 'Manage Automatic Source Control Configuration', 'Configure source control automatically'],
    ],
  },
  {
    displayName: 'Remediation',
    permissions: [
      ['WAIVE_POLICY_VIOLATIONS', 'Waive Policy Violations', 'Create and delete policy waivers'],
      ['CHANGE_LICENSES', 'Change Licenses', 'Override the licenses of components'],
      ['CHANGE_SECURITY_VULNERABILITIES', 'Change Security Vulnerabilities', 'Override the status of vulnerabilities'],
      ['MANAGE_PROPRIETARY', 'Manage Proprietary Components', 'Configure proprietary components'],
      ['CLAIM_COMPONENT', 'Claim Components', 'Claim unknown components'],
      ['CREATE_PULL_REQUESTS', 'Create Pull Requests', 'Open remediation pull requests'],
    ],
  },
  {
    displayName: 'Legal',
    permissions: [['LEGAL_REVIEWER', 'Review Legal Obligations For Components Licenses', 'Review license obligations and attributions']],
  },
] as const;

export type Permission = (typeof PERMISSION_CATEGORIES)[number]['permissions'][number][0];

export const ALL_PERMISSIONS: readonly Permission[] = PERMISSION_CATEGORIES.flatMap((c) => c.permissions.map((p) => p[0]));

export const GLOBAL_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSION_CATEGORIES[0].permissions.map((p) => p[0]));

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

export interface BuiltInRole {
  name: string;
  description: string;
  permissions: Permission[];
}

const OWNER: Permission[] = [
  'READ', 'WRITE', 'EDIT_ACCESS_CONTROL', 'EVALUATE_APPLICATION', 'EVALUATE_COMPONENT', 'ADD_APPLICATION',
  'MANAGE_AUTOMATIC_APPLICATION_CREATION', 'MANAGE_AUTOMATIC_SCM_CONFIGURATION', 'WAIVE_POLICY_VIOLATIONS',
  'CHANGE_LICENSES', 'CHANGE_SECURITY_VULNERABILITIES', 'MANAGE_PROPRIETARY', 'CLAIM_COMPONENT', 'CREATE_PULL_REQUESTS',
];

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    name: 'System Administrator',
    description: 'Manages the system configuration, users and roles.',
    permissions: ['CONFIGURE_SYSTEM', 'EDIT_ROLES', 'VIEW_ROLES', 'ACCESS_AUDIT_LOG', 'VIEW_USAGE'],
  },
  {
    name: 'Policy Administrator',
    description: 'Manages all organizations, applications, policies and their access control.',
    permissions: [...OWNER, 'VIEW_ROLES', 'LEGAL_REVIEWER'],
  },
  { name: 'Owner', description: 'Manages an organization or application, its policies and access.', permissions: OWNER },
  {
    name: 'Developer',
    description: 'Views and evaluates organizations and applications.',
    permissions: ['READ', 'EVALUATE_APPLICATION', 'EVALUATE_COMPONENT', 'CREATE_PULL_REQUESTS'],
  },
  {
    name: 'Application Evaluator',
    description: 'Evaluates applications, typically from CI.',
    permissions: ['EVALUATE_APPLICATION', 'EVALUATE_COMPONENT'],
  },
  { name: 'Component Evaluator', description: 'Evaluates individual components.', permissions: ['EVALUATE_COMPONENT'] },
  {
    name: 'Legal Reviewer',
    description: 'Reviews license obligations of components.',
    permissions: ['READ', 'LEGAL_REVIEWER', 'CHANGE_LICENSES'],
  },
];
