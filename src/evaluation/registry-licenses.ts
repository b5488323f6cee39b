import { tryParseLicenseExpression } from '../intel/licenses/expression.js';

/**
 * A component's declared license from what its registry states (npm's `license`, POM license
 * names, PyPI's license fields and classifiers), for components whose SBOM entry declares none.
 *
 * The seam for a normaliser that knows each registry's spellings (intel/licenses/registry-
 * licenses.ts, `declaredLicenseExpression(values, ecosystem)`): until it lands, the statements are
 * read as SPDX expressions (declaredExpression), and the ecosystem is not used.
 */
export function registryDeclaredLicense(values: readonly string[], _ecosystem: string): string | undefined {
  return declaredExpression(values);
}

/**
 * The registry's license statements as one declared expression (an SBOM entry holds one): the
 * statements that parse, joined with AND (each applies, as the reference joins declared
 * licenses), else the first statement as written.
 */
export function declaredExpression(licenses: readonly string[] | null): string | undefined {
  if (!licenses?.length) return undefined;
  const parsed = [...new Set(licenses.map((l) => tryParseLicenseExpression(l)?.normalized).filter((l): l is string => l !== undefined))];
  if (!parsed.length) return licenses.find((l) => l.trim())?.trim();
  return parsed.length === 1 ? parsed[0] : parsed.map((l) => `(${l})`).join(' AND ');
}
