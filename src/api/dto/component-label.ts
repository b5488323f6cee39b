import { Type } from 'typebox';
import { OwnerType } from './application-category.js';

export const LabelColor = Type.String({
  description: 'one of light-red, light-green, light-blue, light-purple, dark-red, dark-green, dark-blue, dark-purple, orange, yellow',
});

export const ApiLabelDTO = Type.Object({
  id: Type.Optional(Type.String()),
  label: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  color: Type.Optional(LabelColor),
  ownerId: Type.Optional(Type.String()),
  ownerType: Type.Optional(Type.String()),
});


export const ApplicableLabels = Type.Object({
  labelsByOwner: Type.Array(
    Type.Object({
      ownerId: Type.String(),
      ownerName: Type.String(),
      ownerType: OwnerType,
      labels: Type.Array(ApiLabelDTO),
    }),
  ),
});

/** A tree of owners; `children` repeats the shape (kept loose here: serialized as given). */
export const ApplicableContext = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: OwnerType,
  children: Type.Array(Type.Unknown(), { description: 'child owners, each of this same shape' }),
});

/** The owner types in label paths. */
export const LabelOwnerType = Type.Union([
  Type.Literal('application'),
  Type.Literal('organization'),
  Type.Literal('repository_container'),
  Type.Literal('repository_manager'),
  Type.Literal('repository'),
]);
