// The SPDX License List as the `spdx-license-ids` package ships it: current ids and the deprecated
// ones (GPL-2.0, LGPL-2.1, GPL-2.0-with-classpath-exception, …) that real metadata still carries.
// Imported as JSON modules, not through createRequire: the bundled client CLI (dist/cli/tollgate.mjs)
// runs where no node_modules exist, and a bundler inlines only what it sees imported.
import deprecated from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import current from 'spdx-license-ids/index.json' with { type: 'json' };

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
