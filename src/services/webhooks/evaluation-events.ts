import type { Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { ReportData } from '../../evaluation/report.js';
import type { PolicyNotifications } from '../../policy/model.js';
import type { Database } from '../../store/schema.js';
import { effectiveBaseUrl } from '../admin/system-config.js';
import { latestReportHtmlUrl, reportUrls } from '../reports/report-links.js';
import { raiseEvent, raiseEventPerWebhook } from './raise.js';

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
  // IQ sends a Violation Alert to a webhook only for the policies whose notifications name it at
  // the evaluation's stage (the policy's webhookNotifications): the alert lists those policies only.
  let alerts: ReturnType<typeof policyAlerts> | undefined;
  let namedBy: Promise<Map<string, Set<string>>> | undefined;
  await raiseEventPerWebhook(trx, ctx, 'iq:policyAlert', async (webhookId) => {
    alerts ??= policyAlerts(report.data);
    namedBy ??= webhooksNamedByPolicies(trx, alerts.map((a) => a.policyId), report.stage);
    const policies = (await namedBy).get(webhookId);
    const mine = policies ? alerts.filter((a) => policies.has(a.policyId)) : [];
    if (mine.length === 0) return undefined;
    const { evaluation, application } = await common();
    return { id: report.id, initiator, payload: { applicationEvaluation: evaluation, application, policyAlerts: mine } };
  });
}

/** Per webhook id, the policies (of those given) whose webhookNotifications name it at the stage. */
async function webhooksNamedByPolicies(trx: Kysely<Database>, policyIds: string[], stage: string): Promise<Map<string, Set<string>>> {
  const named = new Map<string, Set<string>>();
  if (policyIds.length === 0) return named;
  const rows = await trx.selectFrom('policies').select(['id', 'notifications']).where('id', 'in', policyIds).where('notifications', 'is not', null).execute();
  for (const row of rows) {
    const notifications = JSON.parse(row.notifications as string) as PolicyNotifications;
    for (const entry of notifications.webhookNotifications ?? []) {
      if (!entry.webhookId || !(entry.stageIds ?? []).includes(stage)) continue;
      const set = named.get(entry.webhookId) ?? new Set<string>();
      named.set(entry.webhookId, set.add(row.id));
    }
  }
  return named;
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
