import { osvPackageOf } from '../ecosystems/identity.js';
import { ThreatGroupIndex, type ThreatGroupLike } from '../intel/licenses/classify.js';
import { PolicyEngine } from '../policy/engine.js';
import type { ApplicationFacts, ComponentFacts } from '../policy/facts.js';
import type { StageId } from '../policy/model.js';
import { compileProprietaryPatterns, type ProprietaryMatcher } from '../policy/proprietary-patterns.js';
import type { WaiverInput } from '../policy/waivers.js';
import type { DependencyInfo } from '../sbom/graph.js';
import type { SbomVulnerabilityAnalysis } from '../sbom/model.js';
import type { AppliedLabel } from '../policy/applied-labels.js';
import type { LicenseOverrideIndex, SecurityOverrideIndex } from '../policy/component-overrides.js';
import type { AppContext } from '../core/context.js';
import { newIds } from '../core/ids.js';
import { applyClaim, type ComponentClaim, type IdentifiedComponent } from './identify.js';
import { componentLicenses, type LicenseContext } from './licenses.js';
import { type RegistryFetch, registryFactsFor } from './registry-facts.js';
import { registryDeclaredLicense } from './registry-licenses.js';
import { reportUnknowns } from './report-unknowns.js';
import {
  type ReportComponent,
  type ReportData,
  type ReportSecurityIssue,
  type ReportSummary,
  type ReportViolation,
  threatBand,
} from './report.js';
import { type AdvisoryMatcher, type SecurityIssue, securityIssueOf, statusName } from './vulnerabilities.js';

/** The component claims of the given hashes, by hash: one batched lookup per evaluation. */
export type ClaimsLookup = (hashes: readonly string[]) => Promise<Map<string, ComponentClaim>>;

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
  /** Claims of components known only by their hash (services/component-claims.ts). */
  claims: ClaimsLookup;
}

/** What was loaded for an owner, compiled and indexed for evaluation (services/evaluation/prepare.ts). */
export function preparedFrom(loaded: {
  applicationId: string;
  categoryIds: string[];
  policies: ConstructorParameters<typeof PolicyEngine>[0];
  compileContext: ConstructorParameters<typeof PolicyEngine>[1];
  /** The license threat groups in effect at the owner (services/license-threat-groups.ts). */
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

export interface EvaluateOptions {
  stage: StageId;
  /** ref → place in the dependency graph (sbom/graph.ts), when the input has one. */
  dependencies?: Map<string, DependencyInfo>;
  /** ref → the refs it depends on (Sbom.dependencies), kept in the report for its dependency tree. */
  edges?: Map<string, string[]>;
  /** VEX statements of the input SBOM, shown with the issues they speak about. */
  analyses?: readonly SbomVulnerabilityAnalysis[];
}

export interface Evaluation {
  data: ReportData;
  facts: ComponentFacts[];
  /** What the registry cache lacked or held expired: for the background fetch after the evaluation. */
  registryFetches: RegistryFetch[];
}

/** Identified components → facts → policy engine → report data. */
export async function evaluateComponents(
  ctx: AppContext,
  prepared: PreparedApplication,
  input: readonly IdentifiedComponent[],
  options: EvaluateOptions,
): Promise<Evaluation> {
  const unknownHashes = input.filter((c) => c.matchState !== 'exact').map((c) => c.hash);
  const claims = unknownHashes.length ? await prepared.claims(unknownHashes) : new Map<string, ComponentClaim>();
  const components = input.map((c) => applyClaim(c, claims.get(c.hash)));

  const queries: Array<{ ecosystem: string; name: string; version?: string }> = [];
  const queryOf: number[] = [];
  components.forEach((c, i) => {
    const pkg = c.matchState === 'exact' ? osvPackageOf(c.componentIdentifier) : undefined;
    if (pkg?.version) {
      queryOf[i] = queries.length;
      queries.push(pkg);
    } else queryOf[i] = -1;
  });
  const findings = queries.length ? await prepared.matcher.match(queries) : [];

  // From the registry cache only: an evaluation never waits on the network.
  const registry = await registryFactsFor(
    ctx,
    components.map((c) => ({ identifier: c.matchState === 'exact' ? c.componentIdentifier : undefined, wantsLicense: !c.declaredLicense })),
  );

  const purlByRef = new Map(components.map((c) => [c.ref, c.packageUrl]));
  const analysisByRef = new Map<string, Map<string, SbomVulnerabilityAnalysis>>();
  for (const a of options.analyses ?? []) {
    for (const ref of a.affects) {
      const m = analysisByRef.get(ref) ?? new Map();
      m.set(a.id, a);
      analysisByRef.set(ref, m);
    }
  }

  const facts: ComponentFacts[] = [];
  const reportComponents: ReportComponent[] = [];
  // Components with the same licenses share one classification (read-only): thousands of MIT.
  const licensesBy = new Map<string, ReturnType<typeof componentLicenses>>();
  components.forEach((c, i) => {
    const key = { hash: c.hash, packageUrl: c.packageUrl ?? null };
    const reg = registry.components[i];
    // The SBOM's own license always wins; the registry's stands in where the SBOM declares none.
    const fromRegistry = !c.declaredLicense && reg.licenses && reg.ecosystem ? registryDeclaredLicense(reg.licenses, reg.ecosystem) : undefined;
    const declared = c.declaredLicense ?? fromRegistry;
    const override = prepared.licenseOverrides.get(key);
    const licenseKey = override ? `${declared ?? ''}\u0000${override.status}\u0000${override.licenseIds.join(' ')}` : (declared ?? '');
    let licenses = licensesBy.get(licenseKey);
    if (!licenses) {
      licenses = componentLicenses(declared, override ? { status: override.status, licenseIds: override.licenseIds } : undefined, prepared.licenses);
      licensesBy.set(licenseKey, licenses);
    }
    const issues: SecurityIssue[] = queryOf[i] >= 0 ? (findings[queryOf[i]] ?? []).map((f) => securityIssueOf(f, key, prepared.securityOverrides)) : [];
    const dep = options.dependencies?.get(c.ref);
    const labels = prepared.labels.get(c.hash) ?? [];
    const proprietary = prepared.proprietary.matches(c.packageUrl);
    const fact: ComponentFacts = {
      format: c.componentIdentifier?.format ?? 'unknown',
      displayName: c.displayName,
      hash: c.hash,
      matchState: c.matchState,
      proprietary,
      labelIds: labels.map((l) => l.labelId),
      licenses: licenses.facts,
      licenseStatus: licenses.status,
      vulnerabilities: issues.map((s) => s.fact),
      application: prepared.application,
    };
    if (c.componentIdentifier) fact.componentIdentifier = c.componentIdentifier;
    if (c.packageUrl) fact.packageUrl = c.packageUrl;
    if (c.identificationSource) fact.identificationSource = c.identificationSource;
    if (dep) fact.dependency = dep.depth !== undefined ? { direct: dep.direct, depth: dep.depth } : { direct: dep.direct };
    if (reg.facts?.ageInDays !== undefined) fact.ageInDays = reg.facts.ageInDays;
    if (reg.facts?.isLatest !== undefined) fact.isLatest = reg.facts.isLatest;
    if (reg.facts?.versionDistance !== undefined) fact.versionDistance = reg.facts.versionDistance;
    if (reg.unknown) fact.unknownFacts = reg.unknown;
    facts.push(fact);

    const analyses = analysisByRef.get(c.ref);
    const report: ReportComponent = {
      hash: c.hash,
      displayName: c.displayName,
      matchState: c.matchState,
      proprietary,
      licenseData: licenses.data,
      securityIssues: issues.map((s) => reportIssue(s, analyses)),
      labelIds: fact.labelIds as string[],
      violations: [],
    };
    if (c.sha256) report.sha256 = c.sha256;
    if (c.componentIdentifier) report.componentIdentifier = c.componentIdentifier;
    if (c.packageUrl) report.packageUrl = c.packageUrl;
    if (c.originalPurl) report.originalPurl = c.originalPurl;
    if (c.identificationSource) report.identificationSource = c.identificationSource;
    if (c.cpe) report.cpe = c.cpe;
    if (dep) {
      const parents = new Set<string>();
      for (const path of dep.paths) {
        const parent = path.length > 1 ? purlByRef.get(path[path.length - 2]) : undefined;
        if (parent) parents.add(parent);
      }
      report.dependency = { direct: dep.direct, parentPackageUrls: [...parents] };
      if (dep.depth !== undefined) report.dependency.depth = dep.depth;
    }
    if (fact.ageInDays !== undefined) report.ageInDays = fact.ageInDays;
    if (fact.isLatest !== undefined) report.isLatest = fact.isLatest;
    if (fact.versionDistance !== undefined) report.versionDistance = fact.versionDistance;
    if (declared) report.licenseSource = c.declaredLicense ? 'sbom' : `registry:${reg.ecosystem}`;
    if (reg.unknown) report.unknownFacts = reg.unknown;
    reportComponents.push(report);
  });

  // Waived violations stay in the report (waived: true) but count toward neither the action nor the open counts.
  const result = prepared.engine.evaluate(facts, { stage: options.stage, now: ctx.now(), waivers: prepared.waivers.waivers, ownerIds: prepared.waivers.ownerIds });
  const summary: ReportSummary = {
    outcome: result.outcome,
    totalComponents: components.length,
    knownComponents: components.filter((c) => c.matchState === 'exact').length,
    affectedComponents: result.affectedComponents,
    openViolations: { critical: 0, severe: 0, moderate: 0 },
    componentsAffected: { critical: 0, severe: 0, moderate: 0 },
    waivedViolations: 0,
  };
  const worst = new Map<number, number>();
  const violationIds = newIds(result.violations.length);
  result.violations.forEach((v, n) => {
    const violation: ReportViolation = {
      policyViolationId: violationIds[n],
      policyId: v.policyId,
      policyName: v.policyName,
      policyThreatLevel: v.threatLevel,
      policyThreatCategory: v.policyType.toUpperCase(),
      waived: v.waived,
      constraints: v.constraints,
    };
    if (v.action) violation.action = v.action;
    reportComponents[v.componentIndex].violations.push(violation);
    if (v.waived) {
      summary.waivedViolations++;
      return;
    }
    const band = threatBand(v.threatLevel);
    if (band !== 'low') summary.openViolations[band]++;
    worst.set(v.componentIndex, Math.max(worst.get(v.componentIndex) ?? -1, v.threatLevel));
  });
  for (const level of worst.values()) {
    const band = threatBand(level);
    if (band !== 'low') summary.componentsAffected[band]++;
  }
  reportUnknowns(summary, reportComponents, result.notEvaluated);
  const data: ReportData = { version: 1, components: reportComponents, summary };
  if (options.dependencies && options.edges) data.graph = graphOf(components, options.dependencies, options.edges);
  return { data, facts, registryFetches: registry.fetches };
}

/** The dependency graph by component index (components named twice in the input count once). */
function graphOf(components: readonly IdentifiedComponent[], dependencies: Map<string, DependencyInfo>, edges: Map<string, string[]>): NonNullable<ReportData['graph']> {
  const indexOf = new Map<string, number>();
  components.forEach((c, i) => {
    indexOf.set(c.ref, i);
  });
  const roots: number[] = [];
  const children: Record<number, number[]> = {};
  components.forEach((c, i) => {
    if (dependencies.get(c.ref)?.direct) roots.push(i);
    const list = [...new Set((edges.get(c.ref) ?? []).map((r) => indexOf.get(r)).filter((j): j is number => j !== undefined && j !== i))];
    if (list.length) children[i] = list;
  });
  return { roots, children };
}

/** The report issue of a security issue without a VEX statement: shared, like the issue (read-only). */
function reportIssue(issue: SecurityIssue, analyses: Map<string, SbomVulnerabilityAnalysis> | undefined): ReportSecurityIssue {
  if (analyses) return buildReportIssue(issue, analyses);
  issue.report ??= buildReportIssue(issue, undefined);
  return issue.report;
}

function buildReportIssue(issue: SecurityIssue, analyses: Map<string, SbomVulnerabilityAnalysis> | undefined): ReportSecurityIssue {
  const f = issue.fact;
  // Every field in the literal (see buildIssue in vulnerabilities.ts).
  const out: ReportSecurityIssue = {
    reference: f.refId,
    aliases: f.aliases, // the index's list, shared and read-only
    source: issue.source,
    url: issue.url,
    status: statusName(f.status),
    severity: f.severity,
    cvssVector: f.cvssVector || undefined,
    scoreSource: f.scoreSource,
    scoreRating: f.scoreRating || undefined,
    threatCategory: f.threatCategory || undefined,
    cwe: f.cweIds.length ? f.cweIds[0] : undefined,
    fixVersion: f.fixVersion || undefined,
    summary: issue.summary || undefined,
    analysis: undefined,
  };
  if (analyses) {
    const a = [f.refId, ...f.aliases].map((id) => analyses.get(id)).find(Boolean);
    if (a) {
      out.analysis = {};
      if (a.state) out.analysis.state = a.state;
      if (a.justification) out.analysis.justification = a.justification;
      if (a.response?.length) out.analysis.response = a.response.join(', ');
      if (a.detail) out.analysis.detail = a.detail;
    }
  }
  return out;
}
