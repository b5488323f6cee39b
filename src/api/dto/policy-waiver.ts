import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

/** The reference's ApiWaiverOptionsDTO (and its deprecated applyToAllComponents, which the operation still describes). */
export const ApiWaiverOptionsDTO = Type.Object({
  // Required, and checked by the service (whose messages say what is expected).
  comment: Type.Optional(Type.String({ description: 'required: why the violation is waived' })),
  matcherStrategy: Type.Optional(Type.String({ description: 'required: DEFAULT, EXACT_COMPONENT, ALL_COMPONENTS or ALL_VERSIONS' })),
  applyToAllComponents: Type.Optional(Type.Boolean({ description: 'deprecated: without matcherStrategy, true is ALL_COMPONENTS and false EXACT_COMPONENT' })),
  expiryTime: Type.Optional(Type.String({ description: 'ISO 8601 date and time, in the future' })),
  expireWhenRemediationAvailable: Type.Optional(Type.Boolean({ description: 'EXACT_COMPONENT only: the waiver expires when an evaluation finds a newer version of the component without the waived violation' })),
  waiverReasonId: Type.Optional(Type.String()),
});

/** The reference's ApiBulkWaiversDTO: both fields required, checked by the service. */
export const ApiBulkWaiversDTO = Type.Object({
  violationIds: Type.Optional(Type.Array(Type.String(), { description: 'required: 1 to 1000 policy violation ids; duplicates count once' })),
  apiWaiverOptionsDTO: Type.Optional(ApiWaiverOptionsDTO),
});

const ConditionFactDTO = Type.Object({
  summary: Type.String(),
  reason: Type.String(),
  reference: Type.Optional(Type.Object({ type: Type.String(), value: Type.String() })),
});

/** The reference's ApiPolicyWaiverDTO, with the fields Tollgate has data for. */
export const ApiPolicyWaiverDTO = Type.Object({
  policyWaiverId: Type.String(),
  policyViolationId: Type.Optional(Type.String({ description: 'the violation the waiver was made from' })),
  policyId: Type.String(),
  policyName: Type.String(),
  threatLevel: Type.Integer(),
  comment: Type.String(),
  createTime: Type.String(),
  creatorId: Type.Optional(Type.String()),
  creatorName: Type.Optional(Type.String()),
  expiryTime: Type.Optional(Type.String()),
  expireWhenRemediationAvailable: Type.Boolean(),
  matcherStrategy: Type.String({ description: 'EXACT_COMPONENT, ALL_VERSIONS or ALL_COMPONENTS' }),
  scopeOwnerType: Type.String({ description: 'application, organization or root_organization' }),
  scopeOwnerId: Type.String(),
  scopeOwnerName: Type.String(),
  hash: Type.Optional(Type.String()),
  associatedPackageUrl: Type.Optional(Type.String()),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  displayName: Type.Optional(Type.Object({ name: Type.String() })),
  componentName: Type.Optional(Type.String()),
  constraintFacts: Type.Optional(
    Type.Array(Type.Object({ constraintId: Type.String(), constraintName: Type.String(), conditionFacts: Type.Array(ConditionFactDTO) })),
  ),
  policyWaiverReasonId: Type.Optional(Type.String()),
  vulnerabilityId: Type.Optional(Type.String()),
  isObsolete: Type.Boolean(),
  componentUpgradeAvailable: Type.Optional(
    Type.Boolean({ description: 'true when the waiver expired because a version without its violation became available (expireWhenRemediationAvailable)' }),
  ),
});
