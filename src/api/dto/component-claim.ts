import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

/** The reference's ApiHashComponentIdentifierDTO. */
export const ApiHashComponentIdentifierDTO = Type.Object({
  hash: Type.Optional(Type.String({ description: 'the truncated SHA-1 of the component (required when claiming)' })),
  comment: Type.Optional(Type.String()),
  createTime: Type.Optional(
    Type.String({ description: 'when the component was created/published (its age), ISO-8601; not when it was claimed' }),
  ),
  componentIdentifier: Type.Optional(ComponentIdentifierDTO),
  packageUrl: Type.Optional(Type.String()),
  claimerId: Type.Optional(Type.String({ description: 'who made the claim (set by the server)' })),
  claimerName: Type.Optional(Type.String({ description: 'their name (set by the server)' })),
});

/** The reference's ApiHashComponentIdentifiersDTO. */
export const ApiHashComponentIdentifiersDTO = Type.Object({
  componentClaims: Type.Array(ApiHashComponentIdentifierDTO),
});
