import { Type } from 'typebox';

/** Violations are built whole by services/reports/policy-violations.ts in the reference's field names. */
const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** ApiApplicationViolationListDTOV2 */
export const ApplicationViolationListDTO = Type.Object({
  applicationViolations: Type.Array(
    Type.Object({
      application: Open('ApiApplicationBaseDTO'),
      policyViolations: Type.Array(Open('ApiEnhancedPolicyViolationDTOV2')),
    }),
  ),
});

/** ApiCrossStageViolationDTOV2 */
export const CrossStageViolationDTO = Open('ApiCrossStageViolationDTOV2');
