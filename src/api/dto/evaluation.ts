import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

/** Nested report objects are built whole by the services in the reference's field names. */
const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** ApiThirdPartyScanTicketDTO */
export const ThirdPartyScanTicketDTO = Type.Object({ statusUrl: Type.String() });

/** ApiEvaluationResultCounterDTO */
export const EvaluationResultCounterDTO = Type.Object({
  critical: Type.Integer(),
  severe: Type.Integer(),
  moderate: Type.Integer(),
});

/** ApiThirdPartyScanResultDTO */
export const ThirdPartyScanResultDTO = Type.Object({
  policyAction: Type.Optional(Type.String({ description: 'None, Warning or Failure' })),
  reportHtmlUrl: Type.Optional(Type.String()),
  embeddableReportHtmlUrl: Type.Optional(Type.String()),
  reportPdfUrl: Type.Optional(Type.String()),
  reportDataUrl: Type.Optional(Type.String()),
  componentsAffected: Type.Optional(EvaluationResultCounterDTO),
  openPolicyViolations: Type.Optional(EvaluationResultCounterDTO),
  grandfatheredPolicyViolations: Type.Optional(Type.Integer()),
  legacyViolations: Type.Optional(Type.Integer()),
  isError: Type.Boolean(),
  errorMessage: Type.Optional(Type.String()),
});

/** ApiComponentDTOV2 */
export const ComponentDTOV2 = Type.Object({
  hash: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  packageUrl: Type.Optional(Type.String()),
  originalPurl: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  proprietary: Type.Optional(Type.Boolean()),
  thirdParty: Type.Optional(Type.Boolean()),
  sha256: Type.Optional(Type.String()),
});

/** ApiComponentEvaluationRequestDTOV2 */
export const ComponentEvaluationRequestDTO = Type.Object({
  components: Type.Array(
    Type.Object(
      {
        hash: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        componentIdentifier: Type.Optional(Type.Union([ComponentIdentifierDTO, Type.Null()])),
        packageUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      },
      { additionalProperties: true },
    ),
  ),
});

/** ApiComponentEvaluationTicketDTOV2 */
export const ComponentEvaluationTicketDTO = Type.Object({
  resultId: Type.String(),
  submittedDate: Type.String(),
  applicationId: Type.String(),
  resultsUrl: Type.String(),
});

/** ApiComponentEvaluationResultDTOV2 */
export const ComponentEvaluationResultDTO = Type.Object({
  applicationId: Type.String(),
  evaluationDate: Type.String(),
  isError: Type.Boolean(),
  errorMessage: Type.Union([Type.String(), Type.Null()]),
  results: Type.Array(Open('ApiComponentDetailsDTOV2')),
});

/** ApiPromoteScanRequestDTOV2 */
export const PromoteScanRequestDTO = Type.Object({
  scanId: Type.Optional(Type.String()),
  sourceStageId: Type.Optional(Type.String()),
  targetStageId: Type.Optional(Type.String()),
});

/** ApiApplicationEvaluationStatusDTOV2 */
export const ApplicationEvaluationStatusDTO = Type.Object({ statusUrl: Type.String() });

/** ApiApplicationEvaluationResultDTOV2 */
export const ApplicationEvaluationResultDTO = Type.Object({
  status: Type.String({ description: 'PENDING, FAILED or COMPLETED' }),
  reason: Type.Optional(Type.String()),
  reportHtmlUrl: Type.Optional(Type.String()),
  embeddableReportHtmlUrl: Type.Optional(Type.String()),
  reportPdfUrl: Type.Optional(Type.String()),
  reportDataUrl: Type.Optional(Type.String()),
});

/** ApiApplicationReportDTOV2 */
export const ApplicationReportDTO = Type.Object({
  applicationId: Type.String(),
  stage: Type.String(),
  evaluationDate: Type.String(),
  latestReportHtmlUrl: Type.String(),
  reportHtmlUrl: Type.String(),
  embeddableReportHtmlUrl: Type.String(),
  reportPdfUrl: Type.String(),
  reportDataUrl: Type.String(),
  tollgate: Type.Optional(Type.Object({ scanId: Type.String(), policyAction: Type.String({ description: 'None, Warning or Failure' }) }, { description: 'Tollgate: the report id and its policy action' })),
});

/** ApiReportHistoryDTO */
export const ReportHistoryDTO = Type.Object({
  applicationId: Type.String(),
  reports: Type.Array(Open('ApiReportResultsDTO')),
});

/** ApiReportRawDataDTOV2 */
export const ReportRawDataDTO = Type.Object({
  components: Type.Array(Open('ApiReportComponentDTOV2')),
  matchSummary: Type.Object({ knownComponentCount: Type.Integer(), totalComponentCount: Type.Integer() }),
  tollgate: Type.Optional(
    Open('Tollgate: the components with unknown facts by reason (unknownFacts: facts, reason, registry, components, text) and the policy checks not evaluated for want of them (policiesNotEvaluated: checks, components)'),
  ),
});

/** ApiReportPolicyDataDTOV2 */
export const ReportPolicyDataDTO = Type.Object({
  application: Open('ApiApplicationBaseDTO'),
  reportTime: Type.Number(),
  reportTitle: Type.String(),
  commitHash: Type.Optional(Type.String()),
  initiator: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer()),
  components: Type.Array(Open('ApiReportComponentPolicyViolationsDTOV2')),
});

/** ApiDependencyTreeResponseDTO (nodes nest, so they are built whole by the service). */
export const DependencyTreeDTO = Type.Object({ dependencyTree: Open('ApiDependencyTreeNodeDTO') });

/** ApiPolicyViolationDiffDTO */
export const PolicyViolationDiffDTO = Type.Object({
  application: Open('ApiApplicationDTO'),
  diffTime: Type.String(),
  fromCommit: Open('ApiApplicationEvaluationCommitDTO'),
  toCommit: Open('ApiApplicationEvaluationCommitDTO'),
  addedViolations: Type.Array(Open('ApiPolicyViolationForDiffDTO')),
  removedViolations: Type.Array(Open('ApiPolicyViolationForDiffDTO')),
  sameViolations: Type.Array(Open('ApiPolicyViolationForDiffDTO')),
});
