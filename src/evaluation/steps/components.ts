import type { LicenseOverrideIndex } from '../../policy/component-overrides.js';
import type { ComponentFacts } from '../../policy/facts.js';
import type { DependencyInfo } from '../../sbom/graph.js';
import type { IdentifiedComponent } from '../identify.js';
import { componentLicenses, type LicenseContext } from '../licenses.js';
import type { PreparedApplication } from '../prepared.js';
import type { ComponentRegistryFacts } from '../registry-facts.js';
import { registryDeclaredLicense } from '../registry-licenses.js';
import type { ReportComponent } from '../report.js';
import { type SecurityIssue, securityIssueOf } from '../vulnerabilities.js';
import type { ComponentFindings } from './vulnerabilities.js';
import { type ComponentAnalyses, reportIssue } from './vex.js';

/** What the earlier steps found, each list by component position (refs for the SBOM's own data). */
export interface ComponentInputs {
  findings: ComponentFindings;
  registry: readonly ComponentRegistryFacts[];
  analyses: ReadonlyMap<string, ComponentAnalyses>;
  /** ref → place in the dependency graph (sbom/graph.ts), when the input has one. */
  dependencies: ReadonlyMap<string, DependencyInfo> | undefined;
}

type Licenses = ReturnType<typeof componentLicenses>;

/**
 * Step 5: per component, the facts the policy engine reads and the component as the report shows
 * it (violations still empty), in one pass: licenses (the SBOM's, else the registry's, with
 * license overrides), security issues (with security overrides), dependency place, labels,
 * proprietary patterns and registry facts.
 */
export function describeComponents(
  prepared: PreparedApplication,
  components: readonly IdentifiedComponent[],
  inputs: ComponentInputs,
): { facts: ComponentFacts[]; reportComponents: ReportComponent[] } {
  const facts: ComponentFacts[] = [];
  const reportComponents: ReportComponent[] = [];
  const purlByRef = new Map(components.map((c) => [c.ref, c.packageUrl]));
  const licensesOf = sharedLicenses(prepared.licenses, prepared.licenseOverrides);
  components.forEach((c, i) => {
    const key = { hash: c.hash, packageUrl: c.packageUrl ?? null };
    const reg = inputs.registry[i];
    const declared = declaredLicense(c, reg);
    const licenses = licensesOf(key, declared);
    const found = inputs.findings[i];
    const issues: SecurityIssue[] = found ? found.map((f) => securityIssueOf(f, key, prepared.securityOverrides)) : [];
    const dep = inputs.dependencies?.get(c.ref);
    const fact = componentFacts(prepared, c, licenses, issues, dep, reg);
    facts.push(fact);
    const licenseSource = declared ? (c.declaredLicense ? 'sbom' : `registry:${reg.ecosystem}`) : undefined;
    const dependency = dep ? reportDependency(dep, purlByRef) : undefined;
    reportComponents.push(reportComponent(c, fact, licenses, issues, inputs.analyses.get(c.ref), dependency, licenseSource));
  });
  return { facts, reportComponents };
}

/** The SBOM's own license always wins; the registry's stands in where the SBOM declares none. */
function declaredLicense(c: IdentifiedComponent, reg: ComponentRegistryFacts): string | undefined {
  const fromRegistry = !c.declaredLicense && reg.licenses && reg.ecosystem ? registryDeclaredLicense(reg.licenses, reg.ecosystem) : undefined;
  return c.declaredLicense ?? fromRegistry;
}

/**
 * A component's license classification, with its license override: components with the same
 * licenses share one classification (read-only), for thousands of MIT.
 */
function sharedLicenses(context: LicenseContext, overrides: LicenseOverrideIndex) {
  const licensesBy = new Map<string, Licenses>();
  return (key: { hash: string; packageUrl: string | null }, declared: string | undefined): Licenses => {
    const override = overrides.get(key);
    const licenseKey = override ? `${declared ?? ''}\u0000${override.status}\u0000${override.licenseIds.join(' ')}` : (declared ?? '');
    let licenses = licensesBy.get(licenseKey);
    if (!licenses) {
      licenses = componentLicenses(declared, override ? { status: override.status, licenseIds: override.licenseIds } : undefined, context);
      licensesBy.set(licenseKey, licenses);
    }
    return licenses;
  };
}

/** What the policy engine reads about a component. */
function componentFacts(
  prepared: PreparedApplication,
  c: IdentifiedComponent,
  licenses: Licenses,
  issues: readonly SecurityIssue[],
  dep: DependencyInfo | undefined,
  reg: ComponentRegistryFacts,
): ComponentFacts {
  const labels = prepared.labels.get(c.hash) ?? [];
  const fact: ComponentFacts = {
    format: c.componentIdentifier?.format ?? 'unknown',
    displayName: c.displayName,
    hash: c.hash,
    matchState: c.matchState,
    proprietary: prepared.proprietary.matches(c.packageUrl),
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
  return fact;
}

/** The component as the report shows it, from its facts; its violations are added after the policy engine ran. */
function reportComponent(
  c: IdentifiedComponent,
  fact: ComponentFacts,
  licenses: Licenses,
  issues: readonly SecurityIssue[],
  analyses: ComponentAnalyses | undefined,
  dependency: ReportComponent['dependency'],
  licenseSource: string | undefined,
): ReportComponent {
  const report: ReportComponent = {
    hash: c.hash,
    displayName: c.displayName,
    matchState: c.matchState,
    proprietary: fact.proprietary,
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
  if (dependency) report.dependency = dependency;
  if (fact.ageInDays !== undefined) report.ageInDays = fact.ageInDays;
  if (fact.isLatest !== undefined) report.isLatest = fact.isLatest;
  if (fact.versionDistance !== undefined) report.versionDistance = fact.versionDistance;
  if (licenseSource) report.licenseSource = licenseSource;
  if (fact.unknownFacts) report.unknownFacts = fact.unknownFacts;
  return report;
}

/** Direct or not, depth, and the package URLs of the parents on the shortest paths found (sbom/graph.ts). */
function reportDependency(dep: DependencyInfo, purlByRef: ReadonlyMap<string, string | undefined>): NonNullable<ReportComponent['dependency']> {
  const parents = new Set<string>();
  for (const path of dep.paths) {
    const parent = path.length > 1 ? purlByRef.get(path[path.length - 2]) : undefined;
    if (parent) parents.add(parent);
  }
  const dependency: NonNullable<ReportComponent['dependency']> = { direct: dep.direct, parentPackageUrls: [...parents] };
  if (dep.depth !== undefined) dependency.depth = dep.depth;
  return dependency;
}
