import { strictSemver } from './semver.js';
import type { Versioning } from './types.js';

/**
 * crates.io: Cargo requires strict SemVer 2.0 (`1.2.3`, `1.0.0-alpha.1`, `1.0.0+build`), ordered by
 * SemVer precedence; build metadata does not affect precedence.
 */
export const cargoVersioning: Versioning = strictSemver('cargo');
