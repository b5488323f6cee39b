import { Type } from 'typebox';

// Tollgate's own DTOs: the reference has no license threat group endpoints. Field names follow the
// reference's LicenseThreatGroup (policy export) and ApiLicenseThreatDTOV2.

export const OwnerParams = Type.Object({
  ownerType: Type.String({ description: 'organization or application' }),
  ownerId: Type.String({ description: 'internal id of the organization or application' }),
});

export const GroupParams = Type.Object({
  ownerType: Type.String({ description: 'organization or application' }),
  ownerId: Type.String(),
  licenseThreatGroupId: Type.String(),
});

export const LicenseThreatGroupDTO = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameLowercaseNoWhitespace: Type.String(),
  ownerId: Type.String(),
  ownerType: Type.String(),
  threatLevel: Type.Integer({ minimum: 0, maximum: 10 }),
  licenseIds: Type.Array(Type.String()),
});

export const LicenseThreatGroupInputDTO = Type.Object({
  name: Type.Optional(Type.String()),
  threatLevel: Type.Optional(Type.Number({ description: 'a whole number from 0 (no threat) to 10' })),
  licenseIds: Type.Optional(
    Type.Array(Type.String(), { description: 'SPDX ids (current or deprecated), LicenseRef-…, special ids such as Not-Declared, or "ID WITH exception"' }),
  ),
});

export const LicenseThreatGroupsByOwnerDTO = Type.Object({
  ownerId: Type.String(),
  ownerName: Type.String(),
  ownerType: Type.String(),
  inherited: Type.Boolean(),
  licenseThreatGroups: Type.Array(LicenseThreatGroupDTO),
});

export const LicenseThreatGroupListDTO = Type.Object({
  /** The owner asked about first, then each organization above it up to the root. */
  licenseThreatGroupsByOwner: Type.Array(LicenseThreatGroupsByOwnerDTO),
  /** What applies to the owner: inherited groups with same-named lower ones replacing them. */
  effectiveLicenseThreatGroups: Type.Array(LicenseThreatGroupDTO),
});

export const LicenseClassificationDTO = Type.Object({
  license: Type.String({ description: 'the expression as given' }),
  normalizedLicense: Type.String({ description: 'the expression in SPDX form' }),
  corrections: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
  threatLevel: Type.Union([Type.Integer(), Type.Null()]),
  licenseThreatGroupName: Type.Union([Type.String(), Type.Null()]),
  licenseThreatGroupCategory: Type.Union([Type.String(), Type.Null()]),
  licenses: Type.Array(
    Type.Object({
      licenseId: Type.String(),
      licenseThreatGroupName: Type.Union([Type.String(), Type.Null()]),
      licenseThreatGroupLevel: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  unassignedLicenses: Type.Array(Type.String()),
});
