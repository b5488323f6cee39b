import { type ComponentIdentifier, type ComponentReference, resolveComponent } from '../../ecosystems/identity.js';
import { advisoryMatcherFor } from '../../evaluation/advisories.js';
import { prepareOwner } from '../evaluation/prepare.js';
import { type Criterion, nonFailing, noViolations, remediable, searchVersions, type VersionCandidate } from '../../evaluation/remediation.js';
import { RegistryNotFoundError, RegistryOfflineError } from '../../intel/registries/index.js';
import { isStage, type StageId } from '../../policy/model.js';
import { claimsFor } from '../decisions/component-claims.js';
import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import type { Owner } from '../owners/owner.js';

/**
 * The reference's component remediation: for a component and an organization's or application's
 * policies, the first version (the component's own included) that violates no policy
 * (`next-no-violations`) and, given a stage, the first that fails nothing there
 * (`next-non-failing`). Versions come from the component's registry; each is evaluated as an
 * evaluation would (evaluation/remediation.ts).
 */

export type RemediationType = 'next-no-violations' | 'next-non-failing';

/** The reference's ApiComponentDTOV2 as answered. */
export interface RemediationComponentView {
  hash: string;
  componentIdentifier: ComponentIdentifier;
  packageUrl: string;
  displayName: string;
}

/** The reference's getSuggestedRemediationForComponent_200_response. */
export interface RemediationView {
  remediation: { versionChanges: Array<{ type: RemediationType; data: { component: RemediationComponentView } }> };
}

/** A component as the request names it (the reference's ApiComponentDTOV2; only the identity fields count, checked by resolveComponent). */
export interface RemediationComponentInput {
  hash?: string | null;
  componentIdentifier?: { format?: string; coordinates?: Record<string, string> } | null;
  packageUrl?: string | null;
}

export interface RemediationOptions {
  stageId?: string;
}

function checkStage(stageId: string | undefined): StageId | undefined {
  const stage = stageId?.trim();
  if (!stage) return undefined;
  if (!isStage(stage)) throw new ValidationError(`Unknown stageId "${stageId}": use develop, source, build, stage-release, release or operate`);
  return stage;
}

/** The component the request names: by identifier or package URL, or by a hash someone claimed. */
async function identifierOf(ctx: AppContext, component: RemediationComponentInput): Promise<{ identifier: ComponentIdentifier | null; hash: string | null }> {
  if (component === null || typeof component !== 'object') throw new ValidationError('The body must name a component by componentIdentifier, packageUrl or hash');
  const resolved = resolveComponent(component as ComponentReference);
  if (resolved.componentIdentifier || !resolved.hash) return { identifier: resolved.componentIdentifier, hash: resolved.hash };
  const claim = (await claimsFor(ctx, [resolved.hash])).get(resolved.hash);
  return { identifier: claim?.componentIdentifier ?? null, hash: resolved.hash };
}

function view(c: VersionCandidate): RemediationComponentView {
  return { hash: c.hash, componentIdentifier: c.componentIdentifier, packageUrl: c.packageUrl, displayName: c.displayName };
}

/**
 * Remediation of one component under an owner's policies (its own and inherited; waivers in effect
 * there count, as in evaluations). A component whose versions Tollgate cannot list (a format
 * without a registry here, no version, unknown to its registry, registries offline without a
 * cached answer) gets an empty list of version changes: no remediation is known. A registry that
 * fails now throws RegistryUnavailableError.
 */
export async function componentRemediation(ctx: AppContext, owner: Owner, component: RemediationComponentInput, options: RemediationOptions): Promise<RemediationView> {
  const stage = checkStage(options.stageId);
  const { identifier, hash } = await identifierOf(ctx, component);
  const answer: RemediationView = { remediation: { versionChanges: [] } };
  if (!remediable(identifier)) return answer;
  const prepared = await prepareOwner(ctx, owner, await advisoryMatcherFor(ctx), { waivers: true });
  const types: RemediationType[] = ['next-no-violations'];
  const criteria: Criterion[] = [noViolations];
  if (stage) {
    types.push('next-non-failing');
    criteria.push(nonFailing);
  }
  let found: Array<VersionCandidate | undefined>;
  try {
    found = await searchVersions(ctx, prepared, identifier, criteria, {
      stage: stage ?? 'build',
      ...(hash ? { hash } : {}),
      includeCurrent: true,
      applyWaivers: true,
    });
  } catch (err) {
    if (err instanceof RegistryNotFoundError || err instanceof RegistryOfflineError) return answer;
    throw err;
  }
  found.forEach((candidate, i) => {
    if (candidate) answer.remediation.versionChanges.push({ type: types[i], data: { component: view(candidate) } });
  });
  return answer;
}
