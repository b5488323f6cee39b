import { Type } from 'typebox';
import { ApiApplicationTagDTO } from './application.js';
import { TagColor } from './organization.js';

export const ApiApplicationCategoryDTO = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  color: Type.Optional(TagColor),
  organizationId: Type.Optional(Type.String()),
});

export const ApiApplicationCategoryListDTO = Type.Array(ApiApplicationCategoryDTO);

/** The kinds of owner the reference names (Tollgate's owners are organizations and applications). */
export const OwnerType = Type.Union([
  Type.Literal('application'),
  Type.Literal('organization'),
  Type.Literal('repository_container'),
  Type.Literal('repository_manager'),
  Type.Literal('repository'),
  Type.Literal('global'),
]);

export const ApplicableTagsDTO = Type.Object({
  applicationCategoriesByOwner: Type.Array(
    Type.Object({
      ownerId: Type.String(),
      ownerName: Type.String(),
      ownerType: OwnerType,
      applicationCategories: Type.Array(ApiApplicationCategoryDTO),
    }),
  ),
});

export const AppliedTagsDTO = Type.Object({
  applicationTagsByOwner: Type.Array(
    Type.Object({
      ownerId: Type.String(),
      ownerName: Type.String(),
      ownerType: OwnerType,
      applicationTags: Type.Array(ApiApplicationTagDTO),
    }),
  ),
});

export const PolicyTagListDTO = Type.Array(
  Type.Object({ id: Type.String(), policyId: Type.String(), tagId: Type.String() }),
);
