/**
 * License ids that are not licenses but say what is known about one, as the reference product
 * reports them (its "Sonatype Special Licenses" and "Sonatype Informational" groups): a component
 * whose metadata declares nothing has the declared license `Not-Declared`, and so on.
 */
export const SPECIAL_LICENSES = {
  /** The component's metadata names no license. */
  NOT_DECLARED: 'Not-Declared',
  /** Sources were examined and carry no license text. */
  NO_SOURCE_LICENSE: 'No-Source-License',
  /** No sources were available to examine. */
  NO_SOURCES: 'No-Sources',
  /** Nobody has provided license data for this component (e.g. a proprietary component). */
  NOT_PROVIDED: 'Not-Provided',
  /** The component's format is one whose licenses are not researched. */
  NOT_SUPPORTED: 'Not-Supported',
  /** npm's `UNLICENSED`: the author grants no rights at all (not the Unlicense). */
  UNLICENSED: 'UNLICENSED',
} as const;

export type SpecialLicenseId = (typeof SPECIAL_LICENSES)[keyof typeof SPECIAL_LICENSES];

const SPECIAL_IDS = new Map<string, SpecialLicenseId>(Object.values(SPECIAL_LICENSES).map((id) => [id.toLowerCase(), id]));

/** The canonical special id for `id` in any case, else undefined. */
export function canonicalSpecialId(id: string): SpecialLicenseId | undefined {
  return SPECIAL_IDS.get(id.toLowerCase());
}

/** Special ids that only say "no license is known" (they give way to any real license). */
const PLACEHOLDERS = new Set<string>([
  SPECIAL_LICENSES.NOT_DECLARED,
  SPECIAL_LICENSES.NO_SOURCE_LICENSE,
  SPECIAL_LICENSES.NO_SOURCES,
  SPECIAL_LICENSES.NOT_PROVIDED,
  SPECIAL_LICENSES.NOT_SUPPORTED,
]);

export function isPlaceholderLicense(id: string): boolean {
  return PLACEHOLDERS.has(id);
}

/** Display names for the special ids (licenseName in the reference's ApiLicenseDTO). */
export const SPECIAL_LICENSE_NAMES: Record<SpecialLicenseId, string> = {
  'Not-Declared': 'Not Declared',
  'No-Source-License': 'No Source License',
  'No-Sources': 'No Sources',
  'Not-Provided': 'Not Provided',
  'Not-Supported': 'Not Supported',
  UNLICENSED: 'Unlicensed (no rights granted)',
};
