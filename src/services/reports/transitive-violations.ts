import { type ComponentIdentifier, canonicalPackageUrl, parseComponentHash, toPackageUrl } from '../../ecosystems/identity.js';
import type { ReportComponent, ReportData, ReportViolation } from '../../evaluation/report.js';
import { isStage } from '../../policy/model.js';
import { WaiverIndex } from '../../policy/waivers.js';
import type { ComponentFacts } from '../../policy/facts.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { organizationDescendants } from '../owners/organization-tree.js';
import type { Owner } from '../owners/owner.js';
import { MAX_BULK_VIOLATIONS, type PolicyWaiverView, type WaiverOptionsInput, listWaivers, waiveViolations } from '../decisions/policy-waivers.js';
import { waiversFor } from '../decisions/waivers-in-effect.js';
import { getReport, latestReportOfStage } from './reports.js';
import { parseComponentIdentifierParam } from '../components/vulnerability-details.js';

/**
 * Transitive policy violations: the violations of everything a component of a report depends on,
 * directly or through others (its subtree in the report's dependency graph, the component itself
 * left out), so that a team can see, and waive in one go, what a dependency brings along.
 */

/** The component, as the reference's query names it: componentIdentifier (JSON), packageUrl or hash. */
export interface ComponentSelector {
  componentIdentifier?: string;
  packageUrl?: string;
  hash?: string;
}

/** Which report: one scan of an application, or the newest report of a stage. */
export type ReportAt = { scanId: string } | { stageId: string };

interface Located {
  applicationId: string;
  reportId: string;
  data: ReportData;
  index: number;
}

interface Transitive {
  component: ReportComponent;
  violation: ReportViolation;
}

type Matcher = { describe: string; test: (c: ReportComponent) => boolean };

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** The reference takes the first of componentIdentifier, packageUrl and hash that is given. */
function matcherOf(selector: ComponentSelector): Matcher {
  if (present(selector.componentIdentifier)) {
    const identifier = parseComponentIdentifierParam(selector.componentIdentifier)!;
    const purl = toPackageUrl(identifier);
    return { describe: `Component ${purl}`, test: (c) => c.packageUrl === purl };
  }
  if (present(selector.packageUrl)) {
    const given = selector.packageUrl.trim();
    const purl = canonicalPackageUrl(given);
    return { describe: `Component ${purl}`, test: (c) => c.packageUrl === purl || c.originalPurl === given };
  }
  if (present(selector.hash)) {
    const hash = parseComponentHash(selector.hash);
    return { describe: `Component with hash ${hash}`, test: (c) => c.hash === hash };
  }
  throw new ValidationError('Name the component: componentIdentifier (JSON {"format":…,"coordinates":{…}}), packageUrl or hash');
}

function checkedStage(stageId: string): string {
  const stage = stageId.trim();
  if (!isStage(stage)) throw new ValidationError(`Unknown stage "${stageId}": use develop, source, build, stage-release, release or operate`);
  return stage;
}

async function applicationsOf(ctx: AppContext, owner: Owner): Promise<string[]> {
  if (owner.type === 'application') return [owner.id];
  const orgs = [owner.id, ...(await organizationDescendants(ctx.store, owner.id))];
  const rows = await ctx.store.db.selectFrom('applications').select('id').where('organization_id', 'in', orgs).execute();
  return rows.map((r) => r.id);
}

/**
 * The report and the component in it. A stage of an organization is the newest report of that
 * stage, among its applications' (and those below it), that has the component.
 */
async function locate(ctx: AppContext, owner: Owner, at: ReportAt, selector: ComponentSelector): Promise<Located> {
  const matcher = matcherOf(selector);
  if ('scanId' in at) {
    if (owner.type !== 'application') throw new ValidationError('A scan belongs to an application: use ownerType application');
    const { data } = await getReport(ctx, owner.id, at.scanId);
    const index = data.components.findIndex(matcher.test);
    if (index < 0) throw new NotFoundError(`${matcher.describe} is not in report ${at.scanId}`);
    return { applicationId: owner.id, reportId: at.scanId, data, index };
  }
  const stage = checkedStage(at.stageId);
  const latest = [];
  for (const applicationId of await applicationsOf(ctx, owner)) {
    const report = await latestReportOfStage(ctx, applicationId, stage);
    if (report) latest.push(report);
  }
  if (!latest.length) {
    throw new NotFoundError(
      owner.type === 'application'
        ? `Application ${owner.publicId ?? owner.id} has no report at stage ${stage}`
        : `No application of organization ${owner.name} has a report at stage ${stage}`,
    );
  }
  latest.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
  for (const report of latest) {
    const { data } = await getReport(ctx, report.application_id, report.id);
    const index = data.components.findIndex(matcher.test);
    if (index >= 0) return { applicationId: report.application_id, reportId: report.id, data, index };
  }
  const reports = owner.type === 'application' ? `the newest ${stage} report of application ${owner.publicId ?? owner.id}` : `the newest ${stage} reports of organization ${owner.name}`;
  throw new NotFoundError(`${matcher.describe} is not in ${reports}`);
}

/** Each component's own dependencies, by index: the report's graph, else the parents each component names. */
function childrenOf(data: ReportData): (i: number) => readonly number[] {
  const graph = data.graph;
  if (graph) return (i) => graph.children[i] ?? [];
  const byPurl = new Map<string, number[]>();
  data.components.forEach((c, i) => {
    if (c.packageUrl) byPurl.set(c.packageUrl, [...(byPurl.get(c.packageUrl) ?? []), i]);
  });
  const children = new Map<number, number[]>();
  data.components.forEach((c, j) => {
    for (const parent of c.dependency?.parentPackageUrls ?? []) {
      for (const i of byPurl.get(parent) ?? []) if (i !== j) children.set(i, [...(children.get(i) ?? []), j]);
    }
  });
  return (i) => children.get(i) ?? [];
}

/** Everything below a component, nearest first, each once (cycles end where they return). */
function dependenciesBelow(data: ReportData, index: number): number[] {
  const children = childrenOf(data);
  const seen = new Set([index]);
  const out: number[] = [];
  let level = [index];
  while (level.length) {
    const next: number[] = [];
    for (const i of level) {
      for (const j of children(i)) {
        if (seen.has(j)) continue;
        seen.add(j);
        out.push(j);
        next.push(j);
      }
    }
    level = next;
  }
  return out;
}

function transitiveViolationsOf(located: Located, options: { includeWaived: boolean }): Transitive[] {
  const out: Transitive[] = [];
  for (const i of dependenciesBelow(located.data, located.index)) {
    const component = located.data.components[i];
    for (const violation of component.violations) if (options.includeWaived || !violation.waived) out.push({ component, violation });
  }
  return out;
}

/** A component as both views name it: package URL and identifier only where known. */
interface ComponentNamed {
  hash: string;
  displayName: string;
  packageUrl?: string;
  componentIdentifier?: ComponentIdentifier;
}

function componentNamed(c: ReportComponent): ComponentNamed {
  const out: ComponentNamed = { hash: c.hash, displayName: c.displayName };
  if (c.packageUrl) out.packageUrl = c.packageUrl;
  if (c.componentIdentifier) out.componentIdentifier = c.componentIdentifier;
  return out;
}

/** The reference's ApiStagePolicyViolationComponentDTO. */
export interface TransitiveViolationView extends ComponentNamed {
  policyViolationId: string;
  policyId: string;
  policyName: string;
  threatLevel: number;
  threatCategory: string;
  action?: string;
}

/** The reference's ApiComponentTransitivePolicyViolationsDTO. */
export interface TransitiveViolationsView extends ComponentNamed {
  isInnerSource: boolean;
  transitivePolicyViolations: TransitiveViolationView[];
}

function violationDTO({ component: c, violation: v }: Transitive): TransitiveViolationView {
  return {
    policyViolationId: v.policyViolationId,
    policyId: v.policyId,
    policyName: v.policyName,
    threatLevel: v.policyThreatLevel,
    threatCategory: v.policyThreatCategory,
    ...(v.action ? { action: v.action } : {}),
    ...componentNamed(c),
  };
}

/**
 * ApiComponentTransitivePolicyViolationsDTO: the component and the open (unwaived) violations of
 * its transitive dependencies, worst first. Tollgate has no InnerSource components.
 */
export async function transitivePolicyViolations(
  ctx: AppContext,
  owner: Owner,
  at: ReportAt,
  selector: ComponentSelector,
): Promise<TransitiveViolationsView> {
  const located = await locate(ctx, owner, at, selector);
  const c = located.data.components[located.index];
  const violations = transitiveViolationsOf(located, { includeWaived: false }).sort(
    (a, b) =>
      b.violation.policyThreatLevel - a.violation.policyThreatLevel ||
      a.component.displayName.localeCompare(b.component.displayName) ||
      a.violation.policyName.localeCompare(b.violation.policyName),
  );
  return { ...componentNamed(c), isInnerSource: false, transitivePolicyViolations: violations.map(violationDTO) };
}

/**
 * ApiComponentPolicyWaiversDTO: the waivers in effect at the application (its own and its
 * organizations', unexpired) that cover a violation of the component's transitive dependencies,
 * waived in the report or not (a waiver made after the scan applies from the next evaluation).
 */
export async function transitivePolicyWaivers(
  ctx: AppContext,
  owner: Owner,
  scanId: string,
  selector: ComponentSelector,
): Promise<{ componentPolicyWaivers: PolicyWaiverView[] }> {
  const located = await locate(ctx, owner, { scanId }, selector);
  const violations = transitiveViolationsOf(located, { includeWaived: true });
  const { waivers, ownerIds } = await waiversFor(ctx, located.applicationId);
  const now = ctx.now();
  const covering = new Set<string>();
  for (const waiver of waivers) {
    // One index per waiver, so that every waiver covering a violation is found, not only the first;
    // the engine's own matching decides what a waiver covers.
    const index = new WaiverIndex([waiver], { ownerIds, now });
    // The engine matches on identity only; the other facts play no part.
    const covers = violations.some(({ component: c, violation: v }) => index.waiverFor(v.policyId, { hash: c.hash, packageUrl: c.packageUrl } as ComponentFacts));
    if (covers) covering.add(waiver.id);
  }
  const views = covering.size ? await listWaivers(ctx, owner) : [];
  return { componentPolicyWaivers: views.filter((w) => covering.has(w.policyWaiverId)) };
}

/**
 * Waives every open violation of the component's transitive dependencies on `owner`, with the
 * same options, through the ordinary waiver creation (each violation's policy, for the component
 * that violates it as the matcher strategy says). Up to MAX_BULK_VIOLATIONS violations are all or
 * nothing; beyond that they are waived in batches of that size. Returns how many were waived.
 */
export async function waiveTransitiveViolations(
  ctx: AppContext,
  owner: Owner,
  at: ReportAt,
  selector: ComponentSelector,
  input: WaiverOptionsInput,
  actor: { username: string },
): Promise<number> {
  const located = await locate(ctx, owner, at, selector);
  const ids = transitiveViolationsOf(located, { includeWaived: false }).map((t) => t.violation.policyViolationId);
  if (!ids.length) {
    const c = located.data.components[located.index];
    throw new NotFoundError(`${c.displayName} has no open transitive policy violations in report ${located.reportId}: there is nothing to waive`);
  }
  for (let i = 0; i < ids.length; i += MAX_BULK_VIOLATIONS) await waiveViolations(ctx, owner, ids.slice(i, i + MAX_BULK_VIOLATIONS), input, actor);
  return ids.length;
}
