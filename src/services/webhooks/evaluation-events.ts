import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { ReportData } from '../../evaluation/report.js';
import type { Database } from '../../store/schema.js';
import { effectiveBaseUrl } from '../admin/system-config.js';
import { latestReportHtmlUrl, reportUrls } from '../reports/report-links.js';
import { raiseEvent } from './raise.js';

export interface EvaluatedReport {
  id: string;
  applicationId: string;
  stage: string;
  createdAt: string;
  data: ReportData;
  /** Who submitted the scan (the job runs outside their request). */
  initiator: string | null;
}

/** Components listed per policy in a Violation Alert; the rest are counted (`componentCount`). */
const MAX_ALERT_COMPONENTS = 100;

/**
 * The events of a finished evaluation, raised in the transaction that stores its report:
 * `iq:applicationEvaluation` (IQ's fields — policyEvaluationId, stage, ownerId, evaluationDate, the
 * component counts, outcome — with reportId, the application and the report's links) and, when it
 * found unwaived violations, `iq:policyAlert` (IQ's policyAlerts: each violated policy with the
 * components violating it and the conditions that held).
 */
export async function raiseEvaluationEvents(trx: Kysely<Database>, ctx: AppContext, report: EvaluatedReport): Promise<void> {
  let shared: Promise<{ evaluation: Record<string, unknown>; application: Record<string, unknown> }> | undefined;
  const common = () => {
    shared ??= (async () => {
      const app = await trx.selectFrom('applications').select(['id', 'public_id', 'name', 'organization_id']).where('id', '=', report.applicationId).executeTakeFirstOrThrow();
      // Through the transaction: on SQLite, another connection would wait for it to end.
      const base = (await effectiveBaseUrl({ ...ctx, store: { ...ctx.store, db: trx } })).url.replace(/\/+$/, '');
      const links = Object.fromEntries(Object.entries(reportUrls(app.public_id, report.id)).map(([k, v]) => [k, `${base}/${v}`]));
      const s = report.data.summary;
      const application = { id: app.id, publicId: app.public_id, name: app.name, organizationId: app.organization_id };
      return {
        application,
        evaluation: {
          policyEvaluationId: report.id,
          stage: report.stage,
          ownerId: app.id,
          evaluationDate: report.createdAt,
          affectedComponentCount: s.affectedComponents,
          criticalComponentCount: s.componentsAffected.critical,
          severeComponentCount: s.componentsAffected.severe,
          moderateComponentCount: s.componentsAffected.moderate,
          outcome: s.outcome,
          reportId: report.id,
          application,
          ...links,
          latestReportHtmlUrl: `${base}/${latestReportHtmlUrl(app.public_id)}`,
        },
      };
    })();
    return shared;
  };
  const initiator = report.initiator ?? 'system';
  await raiseEvent(trx, ctx, 'iq:applicationEvaluation', async () => ({
    id: report.id,
    initiator,
    payload: { applicationEvaluation: (await common()).evaluation },
  }));
  const violated = report.data.components.some((c) => c.violations.some((v) => !v.waived));
  if (!violated) return;
  await raiseEvent(trx, ctx, 'iq:policyAlert', async () => {
    const { evaluation, application } = await common();
    return { id: report.id, initiator, payload: { applicationEvaluation: evaluation, application, policyAlerts: policyAlerts(report.data) } };
  });
}

function policyAlerts(data: ReportData) {
  const byPolicy = new Map<string, { policyId: string; policyName: string; threatLevel: number; componentCount: number; componentFacts: unknown[] }>();
  for (const c of data.components) {
    for (const v of c.violations) {
      if (v.waived) continue;
      let alert = byPolicy.get(v.policyId);
      if (!alert) {
        alert = { policyId: v.policyId, policyName: v.policyName, threatLevel: v.policyThreatLevel, componentCount: 0, componentFacts: [] };
        byPolicy.set(v.policyId, alert);
      }
      alert.componentCount++;
      if (alert.componentFacts.length >= MAX_ALERT_COMPONENTS) continue;
      alert.componentFacts.push({
        hash: c.hash,
        displayName: c.displayName,
        ...(c.componentIdentifier ? { componentIdentifier: c.componentIdentifier } : {}),
        ...(c.packageUrl ? { packageUrl: c.packageUrl } : {}),
        policyViolationId: v.policyViolationId,
        pathNames: [],
        constraintFacts: v.constraints.map((k) => ({
          constraintName: k.constraintName,
          satisfiedConditions: k.conditions.map((f) => ({ summary: f.summary, reason: f.reason })),
        })),
      });
    }
  }
  return [...byPolicy.values()].sort((a, b) => b.threatLevel - a.threatLevel || a.policyName.localeCompare(b.policyName));
}
