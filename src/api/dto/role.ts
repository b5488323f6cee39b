import { Type } from 'typebox';

export const ApiPermissionDTO = Type.Object({
  id: Type.Optional(Type.String({ description: 'a permission id, e.g. READ, WRITE, EDIT_ACCESS_CONTROL (GET /api/v2/roles/new lists them)' })),
  displayName: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  allowed: Type.Optional(Type.Boolean()),
});

export const ApiPermissionCategoryDTO = Type.Object({
  displayName: Type.Optional(Type.String()),
  permissions: Type.Optional(Type.Array(ApiPermissionDTO)),
});

export const ApiRoleDTO = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  builtIn: Type.Optional(Type.Boolean()),
  permissionCategories: Type.Optional(Type.Array(ApiPermissionCategoryDTO)),
});

export const ApiRoleListDTO = Type.Object({ roles: Type.Array(ApiRoleDTO) });
