import { Type } from 'typebox';

const MaxAge = Type.String({ description: 'a count and a unit: "30 days", "2 weeks", "3 months", "1 year"' });

export const ApiReportRetentionPolicyDTO = Type.Object({
  inheritPolicy: Type.Optional(Type.Boolean()),
  enablePurging: Type.Optional(Type.Boolean()),
  maxAge: Type.Optional(MaxAge),
  maxCount: Type.Optional(Type.Integer()),
});

export const ApiSuccessMetricsRetentionPolicyDTO = Type.Object({
  inheritPolicy: Type.Optional(Type.Boolean()),
  enablePurging: Type.Optional(Type.Boolean()),
  maxAge: Type.Optional(MaxAge),
});

export const ApiDataRetentionPoliciesDTO = Type.Object({
  applicationReports: Type.Optional(
    Type.Object({
      stages: Type.Optional(
        Type.Record(Type.String(), ApiReportRetentionPolicyDTO, {
          description: 'by stage: develop, source, build, stage-release, release, operate, continuous-monitoring',
        }),
      ),
    }),
  ),
  successMetrics: Type.Optional(ApiSuccessMetricsRetentionPolicyDTO),
});
