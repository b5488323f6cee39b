import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';
import { ApiPolicyWaiverDTO } from './policy-waiver.js';

/** The reference's ApiStagePolicyViolationComponentDTO: one violation with the component that has it. */
export const ApiStagePolicyViolationComponentDTO = Type.Object({
  policyViolationId: Type.String(),
  policyId: Type.String(),
  policyName: Type.String(),
  threatLevel: Type.Integer(),
  threatCategory: Type.String({ description: 'SECURITY, LICENSE, QUALITY or OTHER' }),
  action: Type.Optional(Type.String({ description: 'the policy action at the report’s stage: warn or fail' })),
  hash: Type.String(),
  displayName: Type.String(),
  packageUrl: Type.Optional(Type.String()),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
});

/** The reference's ApiComponentTransitivePolicyViolationsDTO. */
export const ApiComponentTransitivePolicyViolationsDTO = Type.Object({
  hash: Type.String(),
  displayName: Type.String(),
  packageUrl: Type.Optional(Type.String()),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  isInnerSource: Type.Boolean({ description: 'always false: Tollgate has no InnerSource components' }),
  transitivePolicyViolations: Type.Array(ApiStagePolicyViolationComponentDTO),
});

/** The reference's ApiComponentPolicyWaiversDTO. */
export const ApiComponentPolicyWaiversDTO = Type.Object({ componentPolicyWaivers: Type.Array(ApiPolicyWaiverDTO) });
