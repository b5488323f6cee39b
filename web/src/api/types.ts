// The shapes of the reference API's answers that the web UI reads (only the fields it reads).

export interface ComponentIdentifier {
  format: string;
  coordinates: Record<string, string>;
}

export interface Organization {
  id: string;
  name: string;
  parentOrganizationId?: string | null;
}

export interface Application {
  id: string;
  publicId: string;
  name: string;
  organizationId: string;
  contactUserName?: string;
}

export interface PolicyEvaluationResult {
  affectedComponentCount?: number;
  criticalComponentCount?: number;
  severeComponentCount?: number;
  moderateComponentCount?: number;
  criticalPolicyViolationCount?: number;
  severePolicyViolationCount?: number;
  moderatePolicyViolationCount?: number;
  grandfatheredPolicyViolationCount?: number;
  totalComponentCount?: number;
  alerts?: Array<{ trigger?: { policyName?: string; threatLevel?: number }; actions?: Array<{ actionTypeId?: string }> }>;
}

/** One report in an application's history (ApiReportResultsDTO). */
export interface ReportResult {
  applicationId: string;
  scanId: string;
  stage: string;
  evaluationDate: string;
  commitHash?: string;
  reportHtmlUrl?: string;
  policyEvaluationResult?: PolicyEvaluationResult;
  isReevaluation?: boolean;
  scanTriggerType?: string;
  /** Tollgate's own: the report's policy action. */
  tollgate?: { policyAction?: string };
}

export interface LatestReport {
  applicationId: string;
  stage: string;
  evaluationDate: string;
  reportHtmlUrl: string;
  reportDataUrl: string;
  /** Tollgate's own: the report's id and policy action. */
  tollgate?: { scanId?: string; policyAction?: string };
}

export interface LicenseRef {
  licenseId: string;
  licenseName?: string;
}

export interface SecurityIssue {
  source?: string;
  reference: string;
  severity?: number;
  status?: string;
  url?: string | null;
  threatCategory?: string;
  cvssVector?: string;
  cvssVectorSource?: string;
  analysis?: { state?: string; justification?: string };
}

/** A component of the raw report data (ApiReportComponentDTOV2). */
export interface RawComponent {
  hash?: string | null;
  packageUrl?: string;
  displayName?: string;
  componentIdentifier?: ComponentIdentifier;
  matchState?: string;
  proprietary?: boolean;
  licenseData?: {
    declaredLicenses?: LicenseRef[];
    observedLicenses?: LicenseRef[];
    effectiveLicenses?: LicenseRef[];
    overriddenLicenses?: LicenseRef[];
    status?: string;
  } | null;
  securityData?: { securityIssues?: SecurityIssue[] } | null;
  dependencyData?: { directDependency?: boolean; innerSource?: boolean } | null;
}

export interface RawReport {
  components: RawComponent[];
  matchSummary: { knownComponentCount: number; totalComponentCount: number };
}

export interface ViolationCondition {
  conditionSummary: string;
  conditionReason?: string;
}

export interface Violation {
  policyId: string;
  policyName: string;
  policyViolationId: string;
  policyThreatCategory?: string;
  policyThreatLevel: number;
  waived?: boolean;
  grandfathered?: boolean;
  legacy?: boolean;
  constraints?: Array<{ constraintId: string; constraintName: string; conditions?: ViolationCondition[] }>;
}

export interface PolicyComponent {
  hash?: string | null;
  packageUrl?: string;
  displayName?: string;
  componentIdentifier?: ComponentIdentifier;
  violations?: Violation[];
}

export interface PolicyReport {
  application: { id: string; publicId: string; name: string; organizationId: string };
  reportTime: number;
  reportTitle: string;
  commitHash?: string;
  initiator: string;
  counts: Record<string, number>;
  components: PolicyComponent[];
}
