import { Type } from 'typebox';

/** Tollgate's own shapes: the reference has no proprietary-components operation. */

const OwnerType = Type.Union([Type.Literal('organization'), Type.Literal('application')]);
const Patterns = Type.Array(Type.String(), { description: 'package URL patterns (`pkg:npm/@acme/*`); `*` matches any run of characters' });

export const ProprietaryComponentsParams = Type.Object({
  ownerType: Type.String({ description: 'organization (the root organization included) or application' }),
  ownerId: Type.String(),
});

export const ProprietaryComponentsDTO = Type.Object({
  ownerType: OwnerType,
  ownerId: Type.String(),
  packageUrlPatterns: Patterns,
  inherited: Type.Array(
    Type.Object({
      ownerType: OwnerType,
      ownerId: Type.String(),
      ownerName: Type.String(),
      packageUrlPatterns: Patterns,
    }),
    { description: 'what the organizations above the owner declare (these apply too), nearest first' },
  ),
});

export const ProprietaryComponentsUpdateDTO = Type.Object({ packageUrlPatterns: Type.Array(Type.String()) });
