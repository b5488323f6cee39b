import { type ConditionType, checkOperator, oneOf } from './types.js';

/**
 * Where identification sources come from: the reference's values. Tollgate's pipeline records
 * `Package Manifest` for components named by an SBOM or lockfile, `Manual` for claimed
 * components, and `Sonatype` never (it has no Sonatype data); the others stay valid so that the
 * reference's exports import.
 */
const IDENTIFICATION_SOURCES = ['Sonatype', 'Manual', 'Package Manifest', 'IaC', 'Clair'] as const;

/** Identification Source (`IdentificationSource`): `is` / `is not` one of IDENTIFICATION_SOURCES. */
export const IdentificationSource: ConditionType = {
  id: 'IdentificationSource',
  name: 'Identification Source',
  category: 'OTHER',
  operators: ['is', 'is not'],
  compile(operator, value) {
    checkOperator(this, operator);
    const source = oneOf(this, value, IDENTIFICATION_SOURCES);
    const is = operator === 'is';
    return {
      scope: 'component',
      test: (f) => (f.identificationSource === source) === is,
      reason: (f) => `Identification source was ${f.identificationSource ?? 'unknown'} (${operator} ${source})`,
    };
  },
};
