// Portfolio views (the dashboard, the latest reports): what they read of each application's newest
// report per stage, kept as reports are written (services/reports/latest-reports.ts), so that no
// request decodes report documents or searches the reports table for the newest.

import type { CategoryBandColumn } from '../../evaluation/portfolio-summary.js';

declare module '../schema.js' {
  interface Database {
    latest_reports: LatestReportTable;
    latest_report_components: LatestReportComponentTable;
    portfolio_changes: PortfolioChangeTable;
    latest_policy_violations: LatestPolicyViolationTable;
    portfolio_version: PortfolioVersionTable;
  }
}

/** The newest report of an application's stage, with its open violations by policy type and threat band. */
export type LatestReportTable = {
  application_id: string;
  stage: string;
  report_id: string;
  created_at: string;
  /** None | Warning | Failure */
  policy_action: string;
  total_components: number;
  affected_components: number;
  /** Open violations by band, over all policy types. */
  critical: number;
  severe: number;
  moderate: number;
  low: number;
} & Record<CategoryBandColumn, number>;

/** A component of a latest report with open violations (its worst threat and how many). */
export interface LatestReportComponentTable {
  application_id: string;
  stage: string;
  /** The package URL, else the hash. */
  component_key: string;
  display_name: string;
  threat_level: number;
  open_violations: number;
}

/**
 * How a new latest report changed its stage's open violations (its counts minus the report it
 * replaced): summed up to a day, they give the portfolio's open violations on that day.
 */
export interface PortfolioChangeTable {
  application_id: string;
  stage: string;
  created_at: string;
  critical: number;
  severe: number;
  moderate: number;
  low: number;
}

/** The violations of one policy in a latest report, as listings show them. */
export interface LatestPolicyViolationTable {
  application_id: string;
  stage: string;
  policy_id: string;
  report_id: string;
  created_at: string;
  /** JSON array of StoredViolation (evaluation/portfolio-summary.ts), with their open times. */
  violations: string;
}

/**
 * One row (id 1): incremented by triggers in the transaction of every write that changes the
 * portfolio listings (migration 20261208_0700_portfolio_version), so a cached listing is checked
 * with one read, on every node.
 */
export type PortfolioVersionTable = {
  id: number;
  version: number | string | bigint;
};
