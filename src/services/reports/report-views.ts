import type { ReportComponent, ReportData } from '../../evaluation/report.js';
import { constraintViolationsDTO } from '../../evaluation/report.js';
import { notEvaluatedText, unknownFactsLineText } from '../../evaluation/unknown-facts.js';
import { componentDTO, securityIssueDTO } from '../evaluation/evaluations.js';
import type { ReportSummaryRow } from './reports.js';

export { latestReportHtmlUrl, reportUrls } from './report-links.js';
import { latestReportHtmlUrl, reportUrls } from './report-links.js';

/**
 * ApiThirdPartyScanResultDTO of a finished scan. Its links are absolute, built from `base` (the
 * server's baseUrl), as IQ Server answers them: CI clients print them for people to open.
 */
export function scanResultDTO(publicId: string, row: ReportSummaryRow, base: string) {
  const prefix = base.replace(/\/+$/, '');
  const urls = Object.fromEntries(Object.entries(reportUrls(publicId, row.id)).map(([k, v]) => [k, `${prefix}/${v}`])) as ReturnType<typeof reportUrls>;
  return {
    policyAction: row.policy_action,
    ...urls,
    componentsAffected: { critical: row.critical_components, severe: row.severe_components, moderate: row.moderate_components },
    openPolicyViolations: { critical: row.critical_violations, severe: row.severe_violations, moderate: row.moderate_violations },
    grandfatheredPolicyViolations: 0,
    legacyViolations: 0,
    isError: false,
  };
}

/** ApiApplicationReportDTOV2: the newest report of one stage. */
export function applicationReportDTO(publicId: string, row: Pick<ReportSummaryRow, 'id' | 'application_id' | 'stage' | 'created_at' | 'policy_action'>) {
  const { reportHtmlUrl, embeddableReportHtmlUrl, reportPdfUrl, reportDataUrl } = reportUrls(publicId, row.id);
  return {
    applicationId: row.application_id,
    stage: row.stage,
    evaluationDate: row.created_at,
    latestReportHtmlUrl: latestReportHtmlUrl(publicId),
    reportHtmlUrl,
    embeddableReportHtmlUrl,
    reportPdfUrl,
    reportDataUrl,
    // Not in the reference: the report's id and policy action, which the web UI shows per stage.
    tollgate: { scanId: row.id, policyAction: row.policy_action },
  };
}

/** ApiReportResultsDTO: one report of an application's history. */
export function reportResultsDTO(publicId: string, row: ReportSummaryRow) {
  return {
    applicationId: row.application_id,
    scanId: row.id,
    policyEvaluationId: row.id,
    ...(row.commit_hash ? { commitHash: row.commit_hash } : {}),
    stage: row.stage,
    evaluationDate: row.created_at,
    latestReportHtmlUrl: latestReportHtmlUrl(publicId),
    ...reportUrls(publicId, row.id),
    isForMonitoring: false,
    isReevaluation: row.is_reevaluation === 1,
    scanTriggerType: row.source === 'promote' ? 'PROMOTE_SCAN' : 'THIRD_PARTY_SCAN',
    policyEvaluationResult: {
      alerts: [],
      affectedComponentCount: row.affected_components,
      criticalComponentCount: row.critical_components,
      severeComponentCount: row.severe_components,
      moderateComponentCount: row.moderate_components,
      criticalPolicyViolationCount: row.critical_violations,
      severePolicyViolationCount: row.severe_violations,
      moderatePolicyViolationCount: row.moderate_violations,
      grandfatheredPolicyViolationCount: 0,
      legacyViolationCount: 0,
      totalComponentCount: row.total_components,
    },
    // Not in the reference (its alerts would say it, policy by policy): the report's policy action.
    tollgate: { policyAction: row.policy_action },
  };
}

function dependencyData(c: ReportComponent) {
  if (!c.dependency) return undefined;
  return { directDependency: c.dependency.direct, innerSource: false, parentComponentPurls: c.dependency.parentPackageUrls };
}

/** ApiReportRawDataDTOV2 */
export function rawDataDTO(data: ReportData) {
  return {
    components: data.components.map((c) => {
      const out: Record<string, unknown> = {
        ...componentDTO(c),
        matchState: c.matchState,
        pathnames: [],
        licenseData: c.licenseData,
        securityData: { securityIssues: c.securityIssues.map(securityIssueDTO) },
      };
      if (c.identificationSource) out.identificationSource = c.identificationSource;
      if (c.cpe) out.cpe = c.cpe;
      const dep = dependencyData(c);
      if (dep) out.dependencyData = dep;
      const extension = componentExtension(c);
      if (extension) out.tollgate = extension;
      return out;
    }),
    matchSummary: { knownComponentCount: data.summary.knownComponents, totalComponentCount: data.summary.totalComponents },
    ...reportExtension(data),
  };
}

/**
 * Tollgate's extension of a reported component (`tollgate`, beside the reference's fields): where
 * its declared license came from, which facts were unknown and why, and the policies not evaluated
 * for want of them.
 */
function componentExtension(c: ReportComponent) {
  const out: Record<string, unknown> = {};
  if (c.licenseSource) out.licenseSource = c.licenseSource;
  if (c.unknownFacts?.length) out.unknownFacts = c.unknownFacts;
  if (c.policiesNotEvaluated?.length) {
    out.policiesNotEvaluated = c.policiesNotEvaluated.map((n) => ({
      policyId: n.policyId,
      policyName: n.policyName,
      threatLevel: n.policyThreatLevel,
      unknownFacts: n.unknownFacts,
      reason: notEvaluatedText(n.unknownFacts),
    }));
  }
  return Object.keys(out).length ? out : undefined;
}

/** Tollgate's extension of the whole report: unknown facts by reason, and the policy checks not evaluated. */
function reportExtension(data: ReportData) {
  const { unknownFacts, policiesNotEvaluated } = data.summary;
  if (!unknownFacts?.length && !policiesNotEvaluated) return {};
  const tollgate: Record<string, unknown> = {};
  if (unknownFacts?.length) tollgate.unknownFacts = unknownFacts.map((line) => ({ ...line, text: unknownFactsLineText(line) }));
  if (policiesNotEvaluated) tollgate.policiesNotEvaluated = policiesNotEvaluated;
  return { tollgate };
}

/** ApiReportPolicyDataDTOV2 */
export function policyDataDTO(
  application: { id: string; publicId: string; name: string; organizationId: string; contactUserName: string | null },
  row: ReportSummaryRow,
  data: ReportData,
  initiator: string,
  includeViolationTimes: boolean,
) {
  const app: Record<string, unknown> = { id: application.id, publicId: application.publicId, name: application.name, organizationId: application.organizationId };
  if (application.contactUserName) app.contactUserName = application.contactUserName;
  return {
    application: app,
    reportTime: Date.parse(row.created_at),
    reportTitle: `Report for ${application.name}`,
    ...(row.commit_hash ? { commitHash: row.commit_hash } : {}),
    initiator,
    counts: {
      totalComponentCount: data.summary.totalComponents,
      exactlyMatchedComponentCount: data.summary.knownComponents,
      partiallyMatchedComponentCount: 0,
      grandfatheredPolicyViolationCount: 0,
    },
    components: data.components.map((c) => {
      const out: Record<string, unknown> = {
        ...componentDTO(c),
        matchState: c.matchState,
        pathnames: [],
        violations: c.violations.map((v) => {
          const violation: Record<string, unknown> = {
            policyId: v.policyId,
            policyName: v.policyName,
            policyViolationId: v.policyViolationId,
            policyThreatCategory: v.policyThreatCategory,
            policyThreatLevel: v.policyThreatLevel,
            waived: v.waived,
            grandfathered: false,
            legacyViolation: false,
            constraints: v.constraints.map((k) => ({
              constraintId: k.constraintId,
              constraintName: k.constraintName,
              conditions: k.conditions.map((f) => ({ conditionSummary: f.summary, conditionReason: f.reason })),
            })),
          };
          if (includeViolationTimes) violation.openTime = row.created_at;
          return violation;
        }),
      };
      const dep = dependencyData(c);
      if (dep) out.dependencyData = dep;
      return out;
    }),
  };
}

/** Deeper levels of a dependency tree are left out (a chain that long is a hostile input, not a build). */
export const MAX_TREE_DEPTH = 64;

interface TreeNode {
  packageUrl?: string;
  componentIdentifier?: ReportComponent['componentIdentifier'];
  direct: boolean;
  children: TreeNode[];
}

/**
 * ApiDependencyTreeResponseDTO: the direct dependencies under the root, each with its own below.
 * A component's dependencies are spelled out where it first appears (breadth-first, as npm ls
 * dedupes), so a cycle or a much-shared library never repeats its subtree.
 */
export function dependencyTreeDTO(data: ReportData) {
  if (!data.graph) return undefined;
  const { roots, children } = data.graph;
  const expanded = new Set<number>();
  const node = (i: number, direct: boolean): TreeNode => {
    const c = data.components[i];
    const n: TreeNode = { direct, children: [] };
    if (c.packageUrl) n.packageUrl = c.packageUrl;
    if (c.componentIdentifier) n.componentIdentifier = c.componentIdentifier;
    return n;
  };
  const top = roots.map((i) => node(i, true));
  let level: Array<[number, TreeNode]> = roots.map((i, k) => [i, top[k]]);
  for (const [i] of level) expanded.add(i);
  for (let depth = 1; depth < MAX_TREE_DEPTH && level.length; depth++) {
    const next: Array<[number, TreeNode]> = [];
    for (const [i, parent] of level) {
      for (const j of children[i] ?? []) {
        const child = node(j, false);
        parent.children.push(child);
        if (!expanded.has(j)) {
          expanded.add(j);
          next.push([j, child]);
        }
      }
    }
    level = next;
  }
  return { dependencyTree: { direct: false, children: top } };
}

/** ApiPolicyViolationForDiffDTO of one violation of a reported component. */
function violationForDiff(c: ReportComponent, v: ReportComponent['violations'][number], openTime?: string) {
  const out: Record<string, unknown> = {
    component: componentDTO(c),
    policyId: v.policyId,
    policyName: v.policyName,
    policyViolationId: v.policyViolationId,
    threatLevel: v.policyThreatLevel,
    constraintViolations: constraintViolationsDTO(v),
  };
  if (openTime) out.openTime = openTime;
  return out;
}

/**
 * ApiPolicyViolationDiffDTO between two reports: a violation is the same when the same policy is
 * violated by the same component (package URL, else hash) in both.
 */
export function violationDiffDTO(
  application: Record<string, unknown>,
  from: { row: ReportSummaryRow; data: ReportData; commitHash: string; publicId: string },
  to: { row: ReportSummaryRow; data: ReportData; commitHash: string; publicId: string },
  now: string,
  includeViolationTimes: boolean,
) {
  const entries = (r: typeof from) => {
    const map = new Map<string, Record<string, unknown>>();
    for (const c of r.data.components) {
      for (const v of c.violations) {
        if (v.waived) continue;
        map.set(`${v.policyId} ${c.packageUrl ?? c.hash}`, violationForDiff(c, v, includeViolationTimes ? r.row.created_at : undefined));
      }
    }
    return map;
  };
  const before = entries(from);
  const after = entries(to);
  const commit = (r: typeof from) => ({
    commitHash: r.commitHash,
    scanId: r.row.id,
    scanTime: r.row.created_at,
    reportUrl: reportUrls(r.publicId, r.row.id).reportHtmlUrl,
  });
  return {
    application,
    diffTime: now,
    fromCommit: commit(from),
    toCommit: commit(to),
    addedViolations: [...after].filter(([k]) => !before.has(k)).map(([, v]) => v),
    removedViolations: [...before].filter(([k]) => !after.has(k)).map(([, v]) => v),
    sameViolations: [...after].filter(([k]) => before.has(k)).map(([, v]) => v),
  };
}
