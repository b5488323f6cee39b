import { genericIdentity } from './generic/identity.js';
import { ECOSYSTEMS, ecosystemOf } from './index.js';
import type { FormatIdentity } from './types.js';

/** Every format with a module of its own (its descriptor's identity); any other purl type goes through the generic fallback. */
export const FORMATS: readonly FormatIdentity[] = ECOSYSTEMS.flatMap((e) => (e.identity ? [e.identity] : []));

const byPurlType = new Map(FORMATS.map((f) => [f.purlType, f]));

/** The module for a reference format name (case-insensitive, aliases accepted), or undefined. */
export function knownFormat(format: string): FormatIdentity | undefined {
  return ecosystemOf(format)?.identity;
}

/** The module for a format name, the generic fallback when it has none. */
export function identityForFormat(format: string): FormatIdentity {
  return knownFormat(format) ?? genericIdentity(format.trim().toLowerCase());
}

/** The module for a (normalized, lowercase) purl type, the generic fallback when it has none. */
export function identityForPurlType(type: string): FormatIdentity {
  return byPurlType.get(type) ?? genericIdentity(type);
}
