import { componentLabelsAt } from '../services/component-labels-applied.js';
import type { AppContext } from '../core/context.js';
import { licenseOverridesAt } from '../services/license-overrides.js';
import { licenseThreatGroupsFor } from '../services/license-threat-groups.js';
import type { ComponentOwner } from '../services/owned-components.js';
import { applicationCategoryIds, compileContextFor, policiesOfOwners, policyOwnerLine } from '../services/policies.js';
import { waiversAt } from '../services/waivers-in-effect.js';
import { effectiveProprietaryPatterns } from '../services/proprietary-components.js';
import { securityOverridesAt } from '../services/security-overrides.js';
import { type PreparedApplication, prepareApplication, preparedFrom } from './pipeline.js';
import type { AdvisoryMatcher } from './vulnerabilities.js';

/**
 * What evaluating components for an organization or application needs, loaded once: the same
 * loads as `prepareApplication`, for any owner. An application with its waivers is exactly
 * `prepareApplication`. An organization evaluates against its own and inherited policies, license
 * threat groups, overrides, labels and proprietary patterns; it has no application categories, so
 * policies limited to categories do not apply there. `waivers: false` leaves waivers out: what a version of a
 * component violates, whatever anyone waived (the waiver expiry check asks that, and must not
 * load waivers while deciding which of them have expired).
 */
export async function prepareOwner(
  ctx: AppContext,
  owner: ComponentOwner,
  matcher: AdvisoryMatcher,
  options: { waivers: boolean },
): Promise<PreparedApplication> {
  if (owner.type === 'application' && options.waivers) return prepareApplication(ctx, owner.id, matcher);
  const policyOwner = { type: owner.type, id: owner.id, name: owner.name };
  const [line, compileContext, categoryIds, groups, licenseOverrides, securityOverrides, labels, waivers, proprietaryPatterns] = await Promise.all([
    policyOwnerLine(ctx, policyOwner),
    compileContextFor(ctx, policyOwner),
    owner.type === 'application' ? applicationCategoryIds(ctx, owner.id) : Promise.resolve([]),
    licenseThreatGroupsFor(ctx, policyOwner),
    licenseOverridesAt(ctx, owner),
    securityOverridesAt(ctx, owner),
    componentLabelsAt(ctx, owner),
    options.waivers ? waiversAt(ctx, owner) : Promise.resolve({ waivers: [], ownerIds: [] }),
    effectiveProprietaryPatterns(ctx, policyOwner),
  ]);
  const policies = (await policiesOfOwners(ctx, line)).map(({ policyType: _t, ...p }) => p);
  return preparedFrom({ applicationId: owner.id, categoryIds, policies, compileContext, groups, licenseOverrides, securityOverrides, labels, waivers, matcher, proprietaryPatterns });
}
