import { Type } from 'typebox';

/** Tollgate's own: the portfolio dashboard (GET /api/v2/dashboard). */

const count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });

/** Open violations by threat band: critical 8–10, severe 4–7, moderate 2–3, low 0–1. */
const bands = {
  critical: Type.Integer(),
  severe: Type.Integer(),
  moderate: Type.Integer(),
  low: Type.Integer(),
};
export const ThreatBandCountsDTO = Type.Object(bands);

export const DashboardDTO = Type.Object({
  filters: Type.Object({
    organizationId: Type.Optional(Type.String()),
    applicationCategoryId: Type.Optional(Type.String()),
    stageId: Type.Optional(Type.String()),
  }),
  evaluatedApplications: count('applications in scope with at least one report'),
  latestReports: count('the newest report of each stage of those applications'),
  policyActions: Type.Object(
    { Failure: count(), Warning: count(), None: count() },
    { description: 'latest reports by their policy action' },
  ),
  openViolations: Type.Object({
    ...bands,
    byPolicyType: Type.Array(
      Type.Object({ policyType: Type.Union([Type.Literal('SECURITY'), Type.Literal('LICENSE'), Type.Literal('QUALITY'), Type.Literal('OTHER')]), ...bands }),
    ),
  }),
  newestEvaluations: Type.Array(
    Type.Object({
      applicationId: Type.String(),
      applicationPublicId: Type.String(),
      applicationName: Type.String(),
      stageId: Type.String(),
      reportId: Type.String(),
      evaluationDate: Type.String(),
      policyAction: Type.String(),
      openViolations: ThreatBandCountsDTO,
      reportHtmlUrl: Type.String(),
    }),
  ),
  riskiestApplications: Type.Array(
    Type.Object({
      applicationId: Type.String(),
      applicationPublicId: Type.String(),
      applicationName: Type.String(),
      organizationId: Type.String(),
      openViolations: Type.Object(bands, { description: "each band's count in the application's worst stage for it" }),
    }),
  ),
  riskiestComponents: Type.Array(
    Type.Object({
      componentKey: Type.String({ description: 'the package URL, else the hash' }),
      displayName: Type.String(),
      threatLevel: Type.Integer({ description: 'the worst threat level of its open violations' }),
      applications: count('applications where it has open violations of that threat level'),
      openViolations: count('its open violations in those applications, over their stages'),
    }),
  ),
  trend: Type.Array(Type.Object({ date: Type.String({ description: 'YYYY-MM-DD (UTC)' }), ...bands }), {
    description: "open violations in the latest reports at each day's end, oldest first",
  }),
});
