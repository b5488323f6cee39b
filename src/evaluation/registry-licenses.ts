import { declaredLicenseExpression } from '../intel/licenses/registry-licenses.js';

/**
 * A component's declared license from what its registry states (npm's `license`, POM license
 * names, PyPI's license fields and classifiers, …), for components whose SBOM entry declares none
 * and for the versions remediation looks at: one expression, as an SBOM entry holds one, read as
 * the ecosystem means its statements (intel/licenses/registry-licenses.ts: several declarations
 * are a choice). When none can be read, the first statement as written, so that it is seen rather
 * than dropped.
 */
export function registryDeclaredLicense(values: readonly string[] | null | undefined, ecosystem: string): string | undefined {
  if (!values?.length) return undefined;
  const { expression, unrecognized } = declaredLicenseExpression(values, ecosystem);
  return expression ?? unrecognized[0];
}
