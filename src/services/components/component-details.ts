import { knownFormat } from '../../ecosystems/formats.js';
import {
  type ComponentIdentifier,
  type ComponentReference,
  type ResolvedComponent,
  coordinateHash,
  displayName,
  resolveComponent,
} from '../../ecosystems/identity.js';
import type { Finding } from '../../intel/advisories/advisory-index.js';
import { advisoryIndexFor } from '../../intel/advisories/index-cache.js';
import { buildLicenseData, type LicenseData } from '../../intel/licenses/license-data.js';
import { declaredLicenseExpression } from '../../intel/licenses/registry-licenses.js';
import {
  RegistryNotFoundError,
  RegistryOfflineError,
  type RegistryVersionFacts,
  registryRequestFor,
  registryVersionFacts,
} from '../../intel/registries/index.js';
import { resolveScore } from '../../intel/severity/resolve-score.js';
import { threatCategory } from '../../intel/severity/threat-category.js';
import { type ComponentClaimView, claimsFor } from '../decisions/component-claims.js';
import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { type OsvPackage, osvPackageOf } from '../../ecosystems/identity.js';
import { issueSource, vulnerabilityLink } from '../../intel/vulnerability-sources.js';

/**
 * Component details: what Tollgate knows about components named by identifier, package URL or hash,
 * without any application — identity (and claims of unrecognised hashes), the vulnerabilities of
 * the advisory index, and the release date and declared licenses from the component's registry.
 * Registry data is a bonus: when the registry is offline, unreachable or does not know the
 * component, those fields are left out and the rest is still answered.
 */

/** The most components one request may name (each may cost a registry look-up). */
export const MAX_DETAIL_COMPONENTS = 100;
/** Registry look-ups in flight at once for one request. */
const REGISTRY_CONCURRENCY = 8;

/** A component as the request names it (the reference's ApiComponentDTOV2; only the identity fields count). */
export interface ComponentDetailsItem {
  hash?: string | null;
  /** checked by resolveComponent, whose messages say what is missing */
  componentIdentifier?: { format?: string; coordinates?: Record<string, string> } | null;
  packageUrl?: string | null;
}

/** The reference's ApiComponentDTOV2 as answered. */
export interface ComponentView {
  hash?: string;
  componentIdentifier?: ComponentIdentifier;
  packageUrl?: string;
  originalPurl?: string;
  displayName?: string;
}

/** The reference's ApiSecurityIssueDTO. */
export interface SecurityIssueView {
  source: string;
  reference: string;
  severity?: number;
  url: string;
  threatCategory?: string;
  status: string;
  cvssVector?: string;
  /** where the score came from (intel/severity/resolve-score.ts), `unscored` when nothing scores it */
  cvssVectorSource: string;
  cwe?: string;
}

/** The reference's ApiComponentDetailsDTOV2, in the part Tollgate has data for. */
export interface ComponentDetailsView {
  component: ComponentView;
  matchState: 'exact' | 'unknown';
  catalogDate?: string;
  licenseData?: LicenseData;
  securityData?: { securityIssues: SecurityIssueView[] };
}

interface Identified {
  requested: ComponentDetailsItem;
  resolved: ResolvedComponent;
  claim?: ComponentClaimView;
  identifier: ComponentIdentifier | null;
  packageUrl: string | null;
  exact: boolean;
  osv?: OsvPackage;
}

function resolveAll(components: ComponentDetailsItem[]): ResolvedComponent[] {
  return components.map((component, i) => {
    if (component === null || typeof component !== 'object') throw new ValidationError(`components[${i}] is not a component object`);
    try {
      return resolveComponent(component as ComponentReference);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(`components[${i}]: ${err.message}`);
      throw err;
    }
  });
}

/**
 * One security issue per alias group, under its canonical id, scored as evaluations score it
 * (intel/severity/resolve-score.ts: the matched records' CVSS first), with the score's source.
 */
export function securityIssue(finding: Finding): SecurityIssueView {
  const v = finding.vulnerability;
  const scored = resolveScore({ ...v.scoring, matchedBy: finding.matchedBy });
  const issue: SecurityIssueView = { source: issueSource(v.id), reference: v.id, url: vulnerabilityLink(v.id), status: 'Open', cvssVectorSource: scored.source };
  if (scored.score !== undefined) {
    issue.severity = scored.score;
    issue.threatCategory = threatCategory(scored.score);
  }
  if (scored.cvss) issue.cvssVector = scored.cvss.vector;
  if (v.cweIds.length) issue.cwe = v.cweIds[0];
  return issue;
}

/** Worst first, as people read them; then by id, so answers are stable. */
function bySeverity(a: SecurityIssueView, b: SecurityIssueView): number {
  return (b.severity ?? -1) - (a.severity ?? -1) || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);
}

/** Runs `work` on each item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The registry's facts of component versions, or undefined where the registry cannot tell (offline
 * included). A registry that fails (times out, answers 5xx) is not asked again within the request:
 * one slow registry costs one round of time-outs, not one per component.
 */
async function registryFactsOf(ctx: AppContext, components: Identified[]): Promise<(RegistryVersionFacts | undefined)[]> {
  const failing = new Map<string, unknown>();
  const facts = await mapLimited(components, REGISTRY_CONCURRENCY, async (c) => {
    const request = c.exact && c.identifier ? registryRequestFor(c.identifier) : undefined;
    if (!request?.version || failing.has(request.format)) return undefined;
    try {
      return await registryVersionFacts(ctx, { format: request.format, name: request.name, version: request.version });
    } catch (err) {
      // Not found and offline are answers; anything else means the registry is failing now.
      if (!(err instanceof RegistryNotFoundError || err instanceof RegistryOfflineError) && !failing.has(request.format)) {
        failing.set(request.format, err);
      }
      return undefined;
    }
  });
  for (const [format, err] of failing) {
    ctx.log.warn({ err, format }, 'component details: the registry failed; its fields are left out of this answer');
  }
  return facts;
}

/**
 * The registry's license declarations as licenseData's declared entries: the one SPDX expression
 * they make, then each declaration that could not be read, as written (shown, never dropped).
 */
function registryDeclared(licenses: string[], format: string): string[] {
  const { expression, unrecognized } = declaredLicenseExpression(licenses, format);
  return expression ? [expression, ...unrecognized] : unrecognized;
}

function componentView(c: Identified): ComponentView {
  const view: ComponentView = {};
  const hash = c.resolved.hash ?? (c.identifier ? coordinateHash(c.identifier) : null);
  if (hash) view.hash = hash;
  if (c.identifier) view.componentIdentifier = c.identifier;
  if (c.packageUrl) view.packageUrl = c.packageUrl;
  const given = c.requested.packageUrl?.trim();
  if (given && given !== c.packageUrl) view.originalPurl = given;
  if (c.identifier) view.displayName = displayName(c.identifier);
  return view;
}

/** The details of each component, in the order asked. */
export async function componentDetails(ctx: AppContext, request: { components?: ComponentDetailsItem[] }): Promise<{ componentDetails: ComponentDetailsView[] }> {
  const components = request.components;
  if (!Array.isArray(components) || components.length === 0) {
    throw new ValidationError('components must list at least one component, each by componentIdentifier, packageUrl or hash');
  }
  if (components.length > MAX_DETAIL_COMPONENTS) {
    throw new ValidationError(`At most ${MAX_DETAIL_COMPONENTS} components may be asked for at once; this request has ${components.length}`);
  }
  const resolved = resolveAll(components);
  // A file nobody recognised may have been claimed: the claim says what it is.
  const claims = await claimsFor(
    ctx,
    resolved.filter((r) => r.componentIdentifier === null && r.hash !== null).map((r) => r.hash!),
  );
  const identified: Identified[] = resolved.map((r, i) => {
    const claim = r.componentIdentifier === null && r.hash !== null ? claims.get(r.hash) : undefined;
    const identifier = r.componentIdentifier ?? claim?.componentIdentifier ?? null;
    const exact = identifier !== null && knownFormat(identifier.format) !== undefined;
    return {
      requested: components[i],
      resolved: r,
      claim,
      identifier,
      packageUrl: r.packageUrl ?? claim?.packageUrl ?? null,
      exact,
      osv: exact ? osvPackageOf(identifier) : undefined,
    };
  });

  // Without a version, no range can say whether the component is affected: such components get no security data.
  const queried = identified.filter((c) => c.osv?.version !== undefined);
  const findings = new Map<Identified, readonly Finding[]>();
  if (queried.length) {
    const index = await advisoryIndexFor(ctx);
    const found = index.match(queried.map((c) => c.osv!));
    queried.forEach((c, i) => {
      findings.set(c, found[i]);
    });
  }
  const facts = await registryFactsOf(ctx, identified);

  return {
    componentDetails: identified.map((c, i) => {
      const details: ComponentDetailsView = { component: componentView(c), matchState: c.exact ? 'exact' : 'unknown' };
      const version = facts[i]?.version;
      // A claim's createTime is when the component was published, "defining the age of the component".
      const catalogDate = c.claim?.createTime ?? version?.releasedAt ?? undefined;
      if (catalogDate) details.catalogDate = catalogDate;
      if (version?.licenses && c.identifier) details.licenseData = buildLicenseData({ declared: registryDeclared(version.licenses, c.identifier.format) });
      const found = findings.get(c);
      if (found) details.securityData = { securityIssues: found.map(securityIssue).sort(bySeverity) };
      return details;
    }),
  };
}
