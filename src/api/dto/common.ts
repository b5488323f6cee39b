import { Type } from 'typebox';

/** Shared pieces of route schemas. */
export const PlainText = Type.String({ description: 'plain-text message' });

/** Error replies are plain text, as in the reference product. */
export const errorResponses = {
  400: PlainText,
  401: PlainText,
  403: PlainText,
  404: PlainText,
} as const;

export const StringList = Type.Array(Type.String());

/** A query parameter that may repeat (`?id=a&id=b`) or appear once. */
export const RepeatedQuery = Type.Optional(Type.Array(Type.String()));
