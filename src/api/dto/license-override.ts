import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

// Checked by the service (its message lists the statuses), hence a plain string here.
const Status = Type.String({ description: 'OPEN, ACKNOWLEDGED, OVERRIDDEN, SELECTED or CONFIRMED; OVERRIDDEN and SELECTED need licenseIds' });

/** The reference's ApiLicenseOverrideDTO (request and response); packageUrl and hash are Tollgate's. */
export const ApiLicenseOverrideDTO = Type.Object({
  id: Type.Optional(Type.String({ description: 'given: change that override; absent: the owner’s override of the component, or a new one' })),
  ownerId: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
  licenseIds: Type.Optional(Type.Array(Type.String(), { description: 'SPDX ids or expressions, LicenseRef-…, special ids such as Not-Declared' })),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  status: Type.Optional(Status),
});

export const LicenseOverrideInputDTO = Type.Object({
  ...ApiLicenseOverrideDTO.properties,
  packageUrl: Type.Optional(Type.String({ description: 'Tollgate: the component by package URL instead of componentIdentifier' })),
  hash: Type.Optional(Type.String({ description: 'Tollgate: the component by hash (a component known only by its file)' })),
});

/** The reference's ApiAppliedLicenseOverridesDTO. */
export const ApiAppliedLicenseOverridesDTO = Type.Object({
  licenseOverridesByOwner: Type.Array(
    Type.Object({
      licenseOverride: ApiLicenseOverrideDTO,
      ownerId: Type.String(),
      ownerName: Type.String(),
      ownerType: Type.String(),
    }),
  ),
});

/** application or organization (repository owner types are answered 404: Tollgate has no repositories). */
export const OverrideOwnerType = Type.String({ description: 'application or organization' });
