/**
 * Policies as the reference product models them (its policy export: PolicyExportResult → Policy,
 * Constraint, Condition). A policy belongs to the root organization, an organization or an
 * application and applies to every application below its owner.
 */

/** Lifecycle stages, in order. Policies name an action per stage. */
export const STAGES = ['develop', 'source', 'build', 'stage-release', 'release', 'operate'] as const;
export type StageId = (typeof STAGES)[number];

/**
 * Stage ids an imported policy may carry besides the lifecycle stages: `proxy` is the reference's
 * repository-firewall stage. Kept so that an export round-trips; evaluation never asks for it.
 */
export const EXTRA_STAGES = ['proxy'] as const;

/** What a violation does at a stage. No entry means the violation is only reported. */
export const ACTIONS = ['warn', 'fail'] as const;
export type ActionTypeId = (typeof ACTIONS)[number];

/** The overall outcome of an evaluation at a stage: the strongest action of its unwaived violations. */
export type Outcome = ActionTypeId | 'none';

export const OWNER_TYPES = ['organization', 'application'] as const;
export type PolicyOwnerType = (typeof OWNER_TYPES)[number];

/** The reference's threat categories of condition types; a policy's category (policyType) follows them. */
export type ThreatCategory = 'SECURITY' | 'LICENSE' | 'QUALITY' | 'OTHER';

export interface Condition {
  conditionTypeId: string;
  operator: string;
  /** Always text, as in the reference's export; empty for operators that take no value. */
  value: string;
  conditionIndex?: number;
}

export interface Constraint {
  id: string;
  name: string;
  /** AND: every condition must hold; OR: any one. */
  operator: 'AND' | 'OR';
  conditions: Condition[];
}

export interface Policy {
  id: string;
  name: string;
  ownerType: PolicyOwnerType;
  ownerId: string;
  /** 0–10 */
  threatLevel: number;
  /** Stage id → action id; stages without an action are absent. */
  actions: Record<string, ActionTypeId>;
  constraints: Constraint[];
  /**
   * Application categories (the reference's tags) the policy is limited to; empty: every
   * application below the owner. The reference keeps these as PolicyTag rows.
   */
  tagIds: string[];
  /** Who is told of new violations, per stage (the reference's Notifications). */
  notifications?: PolicyNotifications;
}

/**
 * The reference's Notifications of a policy: at the stages each entry names, a new violation of the
 * policy is mailed to a user's address or to the users holding a role on the application, or becomes
 * a Jira issue; a webhook entry names the webhook (by id) that gets the policy's Violation Alert.
 */
export interface PolicyNotifications {
  userNotifications?: Array<{ emailAddress: string; stageIds: string[] }>;
  roleNotifications?: Array<{ roleId: string; roleName?: string; stageIds: string[] }>;
  jiraNotifications?: Array<{ projectKey: string; issueTypeId: number; stageIds: string[] }>;
  webhookNotifications?: Array<{ webhookId?: string; stageIds?: string[] }>;
}

/** ApiPolicyDTO.policyType: the lower-case category of the policy's most telling condition. */
export function policyTypeOf(categories: Iterable<ThreatCategory>): string {
  const seen = new Set(categories);
  for (const c of ['SECURITY', 'LICENSE', 'QUALITY'] as const) if (seen.has(c)) return c.toLowerCase();
  return 'other';
}

const ACTION_RANK: Record<Outcome, number> = { none: 0, warn: 1, fail: 2 };

/** fail > warn > none */
export function strongerOutcome(a: Outcome, b: Outcome): Outcome {
  return ACTION_RANK[b] > ACTION_RANK[a] ? b : a;
}

export function isStage(value: string): value is StageId {
  return (STAGES as readonly string[]).includes(value);
}
