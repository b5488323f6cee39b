import { Type } from 'typebox';

export const TagColor = Type.String({ description: 'one of white, grey, black, green, yellow, orange, red, blue, light-red, light-green, light-blue, light-purple, dark-red, dark-green, dark-blue, dark-purple' });

export const ApiTagDTO = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  color: Type.Optional(TagColor),
});

export const ApiOrganizationDTO = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  parentOrganizationId: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(ApiTagDTO)),
});

export const ApiOrganizationListDTO = Type.Object({ organizations: Type.Array(ApiOrganizationDTO) });

export const MoveOrganizationResponseDTO = Type.Object({
  errors: Type.Array(Type.Object({ type: Type.String(), message: Type.String() })),
  warnings: Type.Array(Type.Object({ type: Type.String(), message: Type.String() })),
});
