import type { AppContext } from '../../core/context.js';
import type { ClaimsLookup } from '../../evaluation/identify.js';
import { type PreparedApplication, preparedFrom } from '../../evaluation/prepared.js';
import { type AdvisoryMatcher, NO_ADVISORIES } from '../../evaluation/vulnerabilities.js';
import { claimsFor } from '../decisions/component-claims.js';
import { componentLabelsAt } from '../decisions/component-labels-applied.js';
import { licenseOverridesAt } from '../decisions/license-overrides.js';
import { licenseThreatGroupsFor } from '../policies/license-threat-groups.js';
import { ownerLine } from '../owners/owner-line.js';
import { type Owner, resolveOwner } from '../owners/owner.js';
import { applicationCategoryIds, compileContextFor, policiesOfOwners } from '../policies/policies.js';
import { effectiveProprietaryPatterns } from '../policies/proprietary-components.js';
import { securityOverridesAt } from '../decisions/security-overrides.js';
import { waiversAt } from '../decisions/waivers-in-effect.js';

/**
 * What the evaluation pipeline (evaluation/) receives about the owner it evaluates for, built here
 * from what services store: policies compiled, license threat groups, overrides, labels, waivers,
 * proprietary patterns and the claims lookup. Reads only: the evaluation job expires waivers as a
 * step of its own before it prepares the application (services/decisions/waiver-remediation.ts).
 */

/** The component claims lookup evaluation uses for components known only by their hash. */
function claimsLookup(ctx: AppContext): ClaimsLookup {
  return (hashes) => claimsFor(ctx, hashes);
}

/** What evaluating an application needs: `prepareOwner` for the application, its waivers included. */
export async function prepareApplication(ctx: AppContext, applicationId: string, matcher: AdvisoryMatcher = NO_ADVISORIES): Promise<PreparedApplication> {
  return prepareOwner(ctx, await resolveOwner(ctx.store, 'application', applicationId), matcher, { waivers: true });
}

/**
 * What evaluating components for an organization or application needs, loaded once. An
 * organization evaluates against its own and inherited policies, license threat groups, overrides,
 * labels and proprietary patterns; it has no application categories, so policies limited to
 * categories do not apply there. `waivers: false` leaves waivers out: what a version of a
 * component violates, whatever anyone waived (the waiver expiry check asks that, and must not load
 * waivers while deciding which of them have expired).
 */
export async function prepareOwner(
  ctx: AppContext,
  owner: Owner,
  matcher: AdvisoryMatcher,
  options: { waivers: boolean },
): Promise<PreparedApplication> {
  const [line, compileContext, categoryIds, groups, licenseOverrides, securityOverrides, labels, waivers, proprietaryPatterns] = await Promise.all([
    ownerLine(ctx.store, owner),
    compileContextFor(ctx, owner),
    owner.type === 'application' ? applicationCategoryIds(ctx, owner.id) : Promise.resolve([]),
    licenseThreatGroupsFor(ctx, owner),
    licenseOverridesAt(ctx, owner),
    securityOverridesAt(ctx, owner),
    componentLabelsAt(ctx, owner),
    options.waivers ? waiversAt(ctx, owner) : Promise.resolve({ waivers: [], ownerIds: [] }),
    effectiveProprietaryPatterns(ctx, owner),
  ]);
  const policies = (await policiesOfOwners(ctx, line.reverse())).map(({ policyType: _t, ...p }) => p);
  return preparedFrom({
    applicationId: owner.id,
    categoryIds,
    policies,
    compileContext,
    groups,
    licenseOverrides,
    securityOverrides,
    labels,
    waivers,
    matcher,
    proprietaryPatterns,
    claims: claimsLookup(ctx),
  });
}
