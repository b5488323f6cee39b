import { createRequire } from 'node:module';

// The SPDX License List as the `spdx-license-ids` package ships it: current ids and the deprecated
// ones (GPL-2.0, LGPL-2.1, GPL-2.0-with-classpath-exception, …) that real metadata still carries.
const require = createRequire(import.meta.url);
const current = require('spdx-license-ids') as string[];
const deprecated = require('spdx-license-ids/deprecated.json') as string[];

export const SPDX_LICENSE_IDS: readonly string[] = current;
export const DEPRECATED_SPDX_LICENSE_IDS: readonly string[] = deprecated;

const deprecatedSet = new Set(deprecated);
/** Lower-cased id → canonical spelling, for ids written in the wrong case ("mit", "apache-2.0"). */
const byLowerCase = new Map<string, string>([...current, ...deprecated].map((id) => [id.toLowerCase(), id]));

/** The canonical spelling of a listed SPDX id, whatever its case; undefined when not listed. */
export function canonicalSpdxId(id: string): string | undefined {
  return byLowerCase.get(id.toLowerCase());
}

export function isSpdxLicenseId(id: string): boolean {
  return byLowerCase.get(id.toLowerCase()) === id;
}

export function isDeprecatedSpdxId(id: string): boolean {
  return deprecatedSet.has(id);
}

/** `LicenseRef-…` or `DocumentRef-…:LicenseRef-…`: a license the SPDX list does not name. */
export function isLicenseRef(id: string): boolean {
  return /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(id);
}
