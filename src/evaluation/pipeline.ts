import type { AppContext } from '../core/context.js';
import type { EvaluationResult } from '../policy/engine.js';
import type { ComponentFacts } from '../policy/facts.js';
import type { StageId } from '../policy/model.js';
import type { DependencyInfo } from '../sbom/graph.js';
import type { SbomVulnerabilityAnalysis } from '../sbom/model.js';
import type { IdentifiedComponent } from './identify.js';
import type { PreparedApplication } from './prepared.js';
import type { RegistryFetch } from './registry-facts.js';
import type { ReportData } from './report.js';
import { assembleReport } from './steps/assemble.js';
import { applyClaims } from './steps/claims.js';
import { describeComponents } from './steps/components.js';
import { readRegistryFacts } from './steps/registry.js';
import { indexAnalyses } from './steps/vex.js';
import { matchVulnerabilities } from './steps/vulnerabilities.js';

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

/**
 * Identified components → facts → policy engine → report data, step by step (evaluation/steps/).
 * Each step is one pass over the batch, and none queries the database per component.
 */
export async function evaluateComponents(
  ctx: AppContext,
  prepared: PreparedApplication,
  input: readonly IdentifiedComponent[],
  options: EvaluateOptions,
): Promise<Evaluation> {
  const components = await applyClaims(prepared.claims, input);
  const findings = await matchVulnerabilities(prepared.matcher, components);
  const registry = await readRegistryFacts(ctx, components);
  const analyses = indexAnalyses(options.analyses);
  const { facts, reportComponents } = describeComponents(prepared, components, {
    findings,
    registry: registry.components,
    analyses,
    dependencies: options.dependencies,
  });
  const result = runPolicies(ctx, prepared, facts, options.stage);
  const data = assembleReport(components, reportComponents, result, options);
  return { data, facts, registryFetches: registry.fetches };
}

/** Step 6: the application's policies over every component's facts, with the waivers in effect. */
function runPolicies(ctx: AppContext, prepared: PreparedApplication, facts: readonly ComponentFacts[], stage: StageId): EvaluationResult {
  return prepared.engine.evaluate(facts, { stage, now: ctx.now(), waivers: prepared.waivers.waivers, ownerIds: prepared.waivers.ownerIds });
}
