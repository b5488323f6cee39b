// Evaluations of applications (src/evaluation/): requests waiting for or done by a job, and reports.

declare module '../schema.js' {
  interface Database {
    evaluation_requests: EvaluationRequestTable;
    reports: ReportTable;
    report_policy_violations: ReportPolicyViolationTable;
  }
}

/** One asked-for evaluation: a third-party scan, a component evaluation or a promoted scan. */
export interface EvaluationRequestTable {
  id: string;
  application_id: string;
  /** sbom | components | promote */
  kind: string;
  stage: string;
  /** The scan source (`cyclonedx`, `spdx`, a lockfile kind) or `component-evaluation` / `promote`. */
  source: string;
  /** The SBOM or lockfile text, or the components / promoted report as JSON. */
  input: string | null;
  /** The lockfile's file name, for lockfile scans. */
  input_name: string | null;
  /** The Git commit the scanned input was built from (Tollgate's `?commitHash=`), for diffs by commit. */
  commit_hash: string | null;
  /** queued | succeeded | failed */
  status: string;
  job_id: string | null;
  /** The report it produced (SBOM scans and promotions). */
  report_id: string | null;
  /** JSON result of a component evaluation. */
  result: string | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A finished application evaluation: summary columns for listings, the whole report as one JSON document. */
export interface ReportTable {
  /** The reference's scanId / reportId (32 hex). */
  id: string;
  application_id: string;
  stage: string;
  source: string;
  created_at: string;
  /** The evaluation request whose input (the SBOM) this report evaluated. */
  input_request_id: string | null;
  commit_hash: string | null;
  is_reevaluation: number;
  /** None | Warning | Failure */
  policy_action: string;
  total_components: number;
  known_components: number;
  affected_components: number;
  critical_violations: number;
  severe_violations: number;
  moderate_violations: number;
  critical_components: number;
  severe_components: number;
  moderate_components: number;
  waived_violations: number;
  /** ReportData (src/evaluation/report.ts) as plain JSON: reports written before `document`; empty since. */
  data: string;
  /** The report in its stored form (src/evaluation/report-codec.ts): compact JSON, gzipped. */
  document: Uint8Array | null;
}

/** A policy a report's components violate, and which components: found without reading the document. */
export interface ReportPolicyViolationTable {
  report_id: string;
  policy_id: string;
  /** JSON array: the package URL, else the hash, of each component violating the policy. */
  component_keys: string;
}
