import { Type } from 'typebox';

export const ApiApplicationTagDTO = Type.Object({
  id: Type.Optional(Type.String()),
  tagId: Type.Optional(Type.String({ description: 'id of the application category applied' })),
  applicationId: Type.Optional(Type.String()),
});

export const ApiApplicationDTO = Type.Object({
  id: Type.Optional(Type.String()),
  publicId: Type.Optional(Type.String({ description: 'letters, digits, ".", "_" and "-"' })),
  name: Type.Optional(Type.String()),
  organizationId: Type.Optional(Type.String()),
  contactUserName: Type.Optional(Type.String()),
  applicationTags: Type.Optional(Type.Array(ApiApplicationTagDTO)),
});

export const ApiApplicationListDTO = Type.Object({ applications: Type.Array(ApiApplicationDTO) });

export const ApiMoveApplicationResponseDTOV2 = Type.Object({
  errors: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
});
