import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

/** The reference's ApiOwnerDTO. */
const ApiOwnerDTO = Type.Object({
  ownerId: Type.String(),
  ownerName: Type.String(),
  ownerPublicId: Type.Optional(Type.String({ description: 'applications only' })),
  ownerType: Type.String(),
});

/** The reference's ApiSecurityVulnerabilityOverrideDTOV2. */
export const ApiSecurityVulnerabilityOverrideDTOV2 = Type.Object({
  securityOverrideId: Type.String(),
  referenceId: Type.String({ description: 'CVE-…, sonatype-…, GHSA-…' }),
  hash: Type.Optional(Type.String({ description: 'the component; absent when the override holds for every component' })),
  status: Type.String({ description: 'OPEN, ACKNOWLEDGED, NOT_APPLICABLE or CONFIRMED' }),
  comment: Type.Optional(Type.String()),
  owner: ApiOwnerDTO,
  currentlyAffectedComponents: Type.Array(Type.Unknown(), { description: 'from application reports (none stored yet: always empty)' }),
});

/** The reference's ApiSecurityVulnerabilityOverrideResponseDTOV2. */
export const ApiSecurityVulnerabilityOverrideResponseDTOV2 = Type.Object({
  securityOverrides: Type.Array(ApiSecurityVulnerabilityOverrideDTOV2),
});

/** Tollgate's request to set a vulnerability's status on an owner. */
export const SecurityOverrideInputDTO = Type.Object({
  // Required, and checked by the service (whose messages say what is expected).
  referenceId: Type.Optional(Type.String({ description: 'required: the vulnerability, e.g. CVE-2021-44228, sonatype-2021-4682, GHSA-…' })),
  status: Type.Optional(Type.String({ description: 'required: OPEN, ACKNOWLEDGED, NOT_APPLICABLE or CONFIRMED' })),
  comment: Type.Optional(Type.String()),
  hash: Type.Optional(Type.String({ description: 'the component by hash' })),
  packageUrl: Type.Optional(Type.String({ description: 'the component by package URL' })),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
});
