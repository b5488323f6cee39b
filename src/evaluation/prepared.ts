import { ThreatGroupIndex, type ThreatGroupLike } from '../intel/licenses/classify.js';
import type { AppliedLabel } from '../policy/applied-labels.js';
import type { LicenseOverrideIndex, SecurityOverrideIndex } from '../policy/component-overrides.js';
import { PolicyEngine } from '../policy/engine.js';
import type { ApplicationFacts } from '../policy/facts.js';
import { compileProprietaryPatterns, type ProprietaryMatcher } from '../policy/proprietary-patterns.js';
import type { WaiverInput } from '../policy/waivers.js';
import type { ClaimsLookup } from './identify.js';
import type { LicenseContext } from './licenses.js';
import type { AdvisoryMatcher } from './vulnerabilities.js';

/**
 * Everything an evaluation needs about one application, loaded once (a handful of queries, by
 * services/evaluation/prepare.ts) and then used for any number of components: policies compiled,
 * overrides, labels and license threat groups indexed by component key. No per-component database
 * query happens after this, except the one batched claims lookup and the registry cache.
 */
export interface PreparedApplication {
  applicationId: string;
  application: ApplicationFacts;
  engine: PolicyEngine;
  licenses: LicenseContext;
  licenseOverrides: LicenseOverrideIndex;
  securityOverrides: SecurityOverrideIndex;
  labels: Map<string, AppliedLabel[]>;
  /** Policy waivers in effect for the application (its own and its organizations', unexpired), and its owner chain the engine checks their scope against. */
  waivers: { waivers: WaiverInput[]; ownerIds: string[] };
  matcher: AdvisoryMatcher;
  /** The application's and its organizations' proprietary package URL patterns, compiled. */
  proprietary: ProprietaryMatcher;
  /** Claims of components known only by their hash (services/decisions/component-claims.ts). */
  claims: ClaimsLookup;
}

/** What was loaded for an owner, compiled and indexed for evaluation (services/evaluation/prepare.ts). */
export function preparedFrom(loaded: {
  applicationId: string;
  categoryIds: string[];
  policies: ConstructorParameters<typeof PolicyEngine>[0];
  compileContext: ConstructorParameters<typeof PolicyEngine>[1];
  /** The license threat groups in effect at the owner (services/policies/license-threat-groups.ts). */
  groups: { effective: ReadonlyArray<ThreatGroupLike & { id: string }> };
  licenseOverrides: LicenseOverrideIndex;
  securityOverrides: SecurityOverrideIndex;
  labels: Map<string, AppliedLabel[]>;
  waivers: PreparedApplication['waivers'];
  matcher: AdvisoryMatcher;
  proprietaryPatterns: readonly string[];
  claims: ClaimsLookup;
}): PreparedApplication {
  const { groups } = loaded;
  return {
    applicationId: loaded.applicationId,
    application: { id: loaded.applicationId, categoryIds: loaded.categoryIds },
    engine: new PolicyEngine(loaded.policies, loaded.compileContext),
    licenses: { index: new ThreatGroupIndex(groups.effective), groupIds: new Map(groups.effective.map((g) => [g.name, g.id])) },
    licenseOverrides: loaded.licenseOverrides,
    securityOverrides: loaded.securityOverrides,
    labels: loaded.labels,
    waivers: loaded.waivers,
    matcher: loaded.matcher,
    proprietary: compileProprietaryPatterns(loaded.proprietaryPatterns),
    claims: loaded.claims,
  };
}
