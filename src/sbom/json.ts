/**
 * A parsed input document whose shape is not yet checked. Readers walk these defensively (every
 * field may be missing or of the wrong type), which is why this is `any` rather than `unknown`.
 */
// biome-ignore lint/suspicious/noExplicitAny: untrusted documents are inspected field by field.
export type Json = Record<string, any>;
