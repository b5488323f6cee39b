import { Type } from 'typebox';

/** Shared pieces of route schemas. */

/**
 * A plain-text reply (errors, as in the reference product): documented under `text/plain`, the
 * content type it is sent with, so the Swagger UI shows the message as it arrives.
 */
export const PlainText = {
  description: 'plain-text message',
  content: { 'text/plain': { schema: Type.String({ description: 'plain-text message' }) } },
} as const;

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
