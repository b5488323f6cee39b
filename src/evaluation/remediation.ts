import { type ComponentIdentifier, coordinateHash, displayName, normalizeIdentifier, osvPackageOf, toPackageUrl } from '../ecosystems/identity.js';
import { versioningFor } from '../ecosystems/versioning/index.js';
import {
  type PackageVersion,
  REGISTRY_FORMATS,
  RegistryNotFoundError,
  RegistryUnavailableError,
  registryMetadata,
  registryVersionFacts,
} from '../intel/registries/index.js';
import type { Violation } from '../policy/engine.js';
import type { StageId } from '../policy/model.js';
import type { AppContext } from '../core/context.js';
import type { IdentifiedComponent } from './identify.js';
import { evaluateComponents } from './pipeline.js';
import type { PreparedApplication } from './prepared.js';
import { registryDeclaredLicense } from './registry-licenses.js';

/**
 * Remediation by version: the component's published versions from its registry, from the
 * current one up in the ecosystem's version order, each evaluated as an evaluation would evaluate
 * it (advisories, declared licenses from the registry, overrides, labels, registry facts, the
 * owner's policies) until the first version that meets each criterion is found.
 */

/** One version of the component, as a candidate. */
export interface VersionCandidate {
  version: string;
  componentIdentifier: ComponentIdentifier;
  packageUrl: string;
  hash: string;
  displayName: string;
}

/** What the policies say about one candidate: its violations (waived ones left out). */
export interface CandidateVerdict {
  candidate: VersionCandidate;
  /** True for the version asked about. */
  current: boolean;
  violations: Violation[];
}

/** A criterion a remediation version must meet. */
export type Criterion = (verdict: CandidateVerdict) => boolean;

export const noViolations: Criterion = (v) => v.violations.length === 0;
/** No violation whose policy fails at the evaluated stage. */
export const nonFailing: Criterion = (v) => !v.violations.some((x) => x.action === 'fail');
/** No violation of one policy. */
export const withoutPolicy =
  (policyId: string): Criterion =>
  (v) =>
    !v.violations.some((x) => x.policyId === policyId);

export interface SearchOptions {
  /** The stage whose actions count (next-non-failing). */
  stage: StageId;
  /** The current version's hash when the caller knows it (a scanned file's), else the stand-in coordinateHash. */
  hash?: string;
  /** Consider the current version itself (the reference does); false: only newer versions. */
  includeCurrent: boolean;
  /** Apply the waivers loaded with `prepared` (true for answers shown to people). */
  applyWaivers: boolean;
  /** Stop looking (criteria not met yet stay unmet) once this many versions were evaluated. */
  maxVersions?: number;
}

/** Versions evaluated in one batch: one advisory match, one registry cache read, one engine run. */
const BATCH = 10;
/** Versions evaluated at most per search: each may cost a registry request for its licenses. */
const MAX_REMEDIATION_VERSIONS = 200;

/** Whether Tollgate can list versions of this component at all (a registry it reads, a name and a version). */
export function remediable(identifier: ComponentIdentifier | null | undefined): identifier is ComponentIdentifier {
  if (!identifier || !REGISTRY_FORMATS.includes(identifier.format)) return false;
  const pkg = osvPackageOf(identifier);
  return pkg?.version !== undefined && versioningFor(identifier.format) !== undefined;
}

/**
 * For each criterion, the first version (in version order, from the current one up) that meets
 * it; undefined where none does. Throws the registry's errors (not found, offline, unavailable)
 * when the versions cannot be listed: callers decide what that means for them.
 */
export async function searchVersions(
  ctx: AppContext,
  prepared: PreparedApplication,
  identifier: ComponentIdentifier,
  criteria: readonly Criterion[],
  options: SearchOptions,
): Promise<Array<VersionCandidate | undefined>> {
  const found: Array<VersionCandidate | undefined> = criteria.map(() => undefined);
  if (!remediable(identifier)) return found;
  const pkg = osvPackageOf(identifier)!;
  const scheme = versioningFor(identifier.format)!;
  const current = pkg.version!;
  const metadata = await registryMetadata(ctx, { format: identifier.format, name: pkg.name });
  const listed = [...metadata.versions].sort((a, b) => scheme.compare(a.version, b.version));
  const candidates = listed.filter((v) => {
    const order = scheme.compare(v.version, current);
    // A yanked release is not one to move to; the current version is judged whatever its state.
    return order > 0 ? !v.yanked : order === 0 && options.includeCurrent;
  });
  if (options.includeCurrent && !candidates.some((v) => scheme.compare(v.version, current) === 0)) {
    // The version asked about may be unknown to the registry (a private build): it is still judged first.
    candidates.unshift({ version: current, releasedAt: null, licenses: null });
  }
  const limit = Math.min(options.maxVersions ?? MAX_REMEDIATION_VERSIONS, candidates.length);
  for (let start = 0; start < limit && found.some((f) => f === undefined); start += BATCH) {
    const batch = candidates.slice(start, Math.min(start + BATCH, limit));
    const verdicts = await judge(ctx, prepared, identifier, pkg.name, batch, current, options);
    criteria.forEach((criterion, i) => {
      if (found[i] === undefined) found[i] = verdicts.find(criterion)?.candidate;
    });
  }
  return found;
}

/** Evaluates a batch of versions of one component the way an evaluation evaluates components. */
async function judge(
  ctx: AppContext,
  prepared: PreparedApplication,
  identifier: ComponentIdentifier,
  registryName: string,
  versions: PackageVersion[],
  current: string,
  options: SearchOptions,
): Promise<CandidateVerdict[]> {
  const scheme = versioningFor(identifier.format)!;
  const licenses = await Promise.all(versions.map((v) => versionLicenses(ctx, identifier.format, registryName, v)));
  const candidates = versions.map((v) => candidateOf(identifier, v.version));
  const isCurrent = versions.map((v) => scheme.compare(v.version, current) === 0);
  const input = candidates.map((c, i): IdentifiedComponent => {
    const component: IdentifiedComponent = {
      ref: c.packageUrl,
      hash: isCurrent[i] && options.hash ? options.hash : c.hash,
      componentIdentifier: c.componentIdentifier,
      packageUrl: c.packageUrl,
      displayName: c.displayName,
      matchState: 'exact',
    };
    const declared = registryDeclaredLicense(licenses[i], identifier.format);
    if (declared) component.declaredLicense = declared;
    return component;
  });
  // Registry facts come from the cache, which the package document just fetched is in.
  const { facts } = await evaluateComponents(ctx, prepared, input, { stage: options.stage });
  const waivers = options.applyWaivers ? prepared.waivers : { waivers: [], ownerIds: [] };
  const result = prepared.engine.evaluate(facts, { stage: options.stage, now: ctx.now(), waivers: waivers.waivers, ownerIds: waivers.ownerIds });
  const verdicts = candidates.map((candidate, i): CandidateVerdict => ({ candidate, current: isCurrent[i], violations: [] }));
  for (const v of result.violations) if (!v.waived) verdicts[v.componentIndex].violations.push(v);
  return verdicts;
}

/** The component at another version. */
export function candidateOf(identifier: ComponentIdentifier, version: string): VersionCandidate {
  const componentIdentifier = normalizeIdentifier({ format: identifier.format, coordinates: { ...identifier.coordinates, version } });
  return {
    version,
    componentIdentifier,
    packageUrl: toPackageUrl(componentIdentifier),
    hash: coordinateHash(componentIdentifier),
    displayName: displayName(componentIdentifier),
  };
}

/**
 * A version's declared licenses as the registry states them: from the package document where it
 * has them (npm), else from the version's own document (Maven POM, PyPI release; cached). Null
 * when the registry cannot tell (offline and not cached, no such document): the version is then
 * judged as declaring no license, as an evaluation judges an SBOM entry without one.
 */
async function versionLicenses(ctx: AppContext, format: string, name: string, version: PackageVersion): Promise<string[] | null> {
  if (version.licenses !== null) return version.licenses;
  try {
    const facts = await registryVersionFacts(ctx, { format, name, version: version.version });
    return facts.version?.licenses ?? null;
  } catch (err) {
    if (err instanceof RegistryNotFoundError || err instanceof RegistryUnavailableError) return null;
    throw err;
  }
}

