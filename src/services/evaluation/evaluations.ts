import type { Transaction } from 'kysely';
import { type ResolvedComponent, resolveComponent } from '../../ecosystems/identity.js';
import { advisoryMatcherFor } from '../../evaluation/advisories.js';
import { type IdentifiedComponent, identifyComponent, identifySbom } from '../../evaluation/identify.js';
import { type Evaluation, evaluateComponents } from '../../evaluation/pipeline.js';
import type { ReportComponent, ReportData } from '../../evaluation/report.js';
import { constraintViolationsDTO, scoreSourceOf } from '../../evaluation/report.js';
import { announceJobQueued, submitJob } from '../../jobs/queue.js';
import { isStage, type StageId } from '../../policy/model.js';
import { analyzeDependencies } from '../../sbom/graph.js';
import type { Sbom } from '../../sbom/model.js';
import type { Database } from '../../store/schema.js';
import type { EvaluationRequestTable } from '../../store/tables/reports.js';
import { prepareApplication } from './prepare.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { resolveOwner } from '../owners/owner.js';
import { queueRegistryFetches } from './registry-fetches.js';
import { purgeApplicationReports } from '../admin/report-retention.js';
import { checkScanSource, readScanInput, TooLargeError } from './scan-input.js';
import { encodeNewReport, getReport, insertReport, latestReportOfStage } from '../reports/reports.js';
import { forgetSubmittedInput, keepSubmittedInput, takeSubmittedInput } from './submitted-inputs.js';
import { expireRemediatedWaiversAt } from '../decisions/waiver-remediation.js';
import { isUniqueViolation } from '../../store/unique.js';
import { raiseEvaluationEvents } from '../webhooks/evaluation-events.js';
import { purgeExpiredKeys, rememberKey, replayedAnswer, type Submitted, type SubmitOptions } from './idempotency.js';

export { checkScanBodyKind, readScanInput, TooLargeError } from './scan-input.js';

/** The job type that runs evaluation requests (jobs/handlers/evaluation.ts). */
export const EVALUATION_JOB = 'evaluation';

/** Component evaluations take at most this many components per request. */
export const MAX_EVALUATED_COMPONENTS = 10_000;

/** Stages a scan may be evaluated for (the reference's; `source` and `develop` included). */
export function checkStage(stage: string | undefined, fallback: StageId = 'build'): StageId {
  const s = (stage ?? '').trim() || fallback;
  if (!isStage(s)) throw new ValidationError(`Unknown stage "${s}": use develop, source, build, stage-release, release or operate`);
  return s;
}

export interface ApplicationRef {
  id: string;
  publicId: string;
}

export async function applicationById(ctx: AppContext, applicationId: string): Promise<ApplicationRef> {
  const row = await ctx.store.db.selectFrom('applications').select(['id', 'public_id']).where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw new NotFoundError(`Application ${applicationId} not found`);
  return { id: row.id, publicId: row.public_id };
}

type Trx = Transaction<Database>;

async function queueRequest(ctx: AppContext, row: EvaluationRequestTable, first?: (trx: Trx) => Promise<void>): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    if (first) await first(trx);
    await trx.insertInto('evaluation_requests').values(row).execute();
    const job = await submitJob({ ...ctx, store: { ...ctx.store, db: trx } }, {
      type: EVALUATION_JOB,
      payload: { requestId: row.id },
      owner: { type: 'application', id: row.application_id },
    });
    await trx.updateTable('evaluation_requests').set({ job_id: job.id }).where('id', '=', row.id).execute();
  });
  announceJobQueued();
}

/**
 * Stores the request and queues its job; with an idempotency key, the key and the answer go in the
 * same transaction (a crash leaves both or neither). A concurrent request with the same key that
 * stored first makes this one's transaction fail on the key: this one then answers as its retry.
 */
async function storeSubmission(ctx: AppContext, row: EvaluationRequestTable, options: SubmitOptions, onFailure?: () => void): Promise<Submitted> {
  const answer = options.answer({ id: row.id, createdAt: row.created_at });
  const idempotency = options.idempotency;
  const username = row.created_by ?? '';
  try {
    await queueRequest(
      ctx,
      row,
      idempotency && ((trx) => rememberKey(trx, ctx, { applicationId: row.application_id, username, idempotency, requestId: row.id, answer })),
    );
  } catch (err) {
    onFailure?.();
    if (idempotency && isUniqueViolation(err)) {
      const earlier = await replayedAnswer(ctx, row.application_id, username, idempotency);
      if (earlier) return earlier;
    }
    throw err;
  }
  if (idempotency) await purgeExpiredKeys(ctx).catch((err) => ctx.log.warn({ err }, 'purging expired idempotency keys failed'));
  return { answer, replayed: false };
}

/** The first answer to the caller's key on this application, when this is a retry (see idempotency.ts). */
async function replay(ctx: AppContext, applicationId: string, username: string, options: SubmitOptions): Promise<Submitted | undefined> {
  return options.idempotency ? replayedAnswer(ctx, applicationId, username, options.idempotency) : undefined;
}

function newRequest(applicationId: string, kind: string, stage: string, source: string, createdAt: string): EvaluationRequestTable {
  return {
    id: newId(),
    application_id: applicationId,
    kind,
    stage,
    source,
    input: null,
    input_name: null,
    commit_hash: null,
    status: 'queued',
    job_id: null,
    report_id: null,
    result: null,
    error: null,
    created_by: null,
    created_at: createdAt,
    finished_at: null,
  };
}

/**
 * Third-Party Analysis, step 1: checks the SBOM now (a bad one is refused with the reader's message
 * and nothing is stored), then queues its evaluation. Returns the request id the status URL names.
 */
export async function submitScan(
  ctx: AppContext,
  input: { applicationId: string; source: string; stage?: string; body: string; fileName?: string; commitHash?: string; username: string },
  options: SubmitOptions,
): Promise<Submitted> {
  const app = await applicationById(ctx, input.applicationId);
  const earlier = await replay(ctx, app.id, input.username, options);
  if (earlier) return earlier;
  const stage = checkStage(input.stage);
  const commitHash = input.commitHash?.trim() || null;
  if (commitHash !== null && !/^[0-9a-fA-F]{4,64}$/.test(commitHash)) throw new ValidationError(`commitHash "${commitHash}" is not a Git commit hash`);
  // The tool's name as it gave it (auditjs, nancy, cyclonedx, …): recorded on the request and report.
  const source = checkScanSource(input.source);
  const sbom = await readScanInput(source, input.body, input.fileName);
  const row = newRequest(app.id, 'sbom', stage, source, ctx.now().toISOString());
  row.input = input.body;
  row.input_name = input.fileName ?? null;
  row.commit_hash = commitHash?.toLowerCase() ?? null;
  row.created_by = input.username;
  keepSubmittedInput(row.id, sbom);
  return storeSubmission(ctx, row, options, () => forgetSubmittedInput(row.id));
}

/** Component evaluation, step 1: checks and queues the components. */
export async function submitComponentEvaluation(
  ctx: AppContext,
  input: { applicationId: string; components: Array<{ hash?: string | null; componentIdentifier?: unknown; packageUrl?: string | null }>; username: string },
  options: SubmitOptions,
): Promise<Submitted> {
  const app = await applicationById(ctx, input.applicationId);
  const earlier = await replay(ctx, app.id, input.username, options);
  if (earlier) return earlier;
  if (!input.components.length) throw new ValidationError('components must list at least one component');
  if (input.components.length > MAX_EVALUATED_COMPONENTS) {
    throw new TooLargeError(`At most ${MAX_EVALUATED_COMPONENTS} components can be evaluated in one request`);
  }
  const resolved: ResolvedComponent[] = input.components.map((c, i) => {
    try {
      return resolveComponent(c as Parameters<typeof resolveComponent>[0]);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(`components[${i}]: ${err.message}`);
      throw err;
    }
  });
  const row = newRequest(app.id, 'components', 'develop', 'component-evaluation', ctx.now().toISOString());
  row.input = JSON.stringify(resolved);
  row.created_by = input.username;
  return storeSubmission(ctx, row, options);
}

/** Promote Scan: re-evaluates an earlier report (by id, or the newest of a stage) for another stage. */
export async function submitPromotion(
  ctx: AppContext,
  input: { applicationId: string; scanId?: string; sourceStageId?: string; targetStageId?: string; username: string },
  options: SubmitOptions,
): Promise<Submitted> {
  const app = await applicationById(ctx, input.applicationId);
  const earlier = await replay(ctx, app.id, input.username, options);
  if (earlier) return earlier;
  if (!input.targetStageId) throw new ValidationError('targetStageId is required');
  const target = checkStage(input.targetStageId);
  let reportId = input.scanId?.trim();
  if (reportId) {
    await getReport(ctx, app.id, reportId);
  } else {
    if (!input.sourceStageId) throw new ValidationError('Give the scanId of the report to promote, or its sourceStageId');
    const source = checkStage(input.sourceStageId);
    const latest = await latestReportOfStage(ctx, app.id, source);
    if (!latest) throw new NotFoundError(`The application has no report at stage ${source} to promote`);
    reportId = latest.id;
  }
  const row = newRequest(app.id, 'promote', target, 'promote', ctx.now().toISOString());
  row.input = JSON.stringify({ reportId });
  row.created_by = input.username;
  return storeSubmission(ctx, row, options);
}

export async function getRequest(ctx: AppContext, applicationId: string, requestId: string, kinds: readonly string[]) {
  const row = await ctx.store.db
    .selectFrom('evaluation_requests')
    .select(['id', 'application_id', 'kind', 'stage', 'status', 'report_id', 'result', 'error', 'created_at', 'finished_at'])
    .where('id', '=', requestId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row || !kinds.includes(row.kind)) throw new NotFoundError(`No evaluation request ${requestId} for this application`);
  return row;
}

/** Marks a request failed (its job gave up): status endpoints then report the error. */
export async function failRequest(ctx: AppContext, requestId: string, message: string): Promise<void> {
  await ctx.store.db
    .updateTable('evaluation_requests')
    .set({ status: 'failed', error: message, finished_at: ctx.now().toISOString() })
    .where('id', '=', requestId)
    .where('status', '=', 'queued')
    .execute();
}

/** Runs one queued request (the evaluation job's work). A request already done is left as it is. */
export async function runRequest(ctx: AppContext, requestId: string): Promise<{ reportId?: string }> {
  const request = await ctx.store.db.selectFrom('evaluation_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (request?.status !== 'queued') return { reportId: request?.report_id ?? undefined };
  const stage = checkStage(request.stage);
  const matcher = await advisoryMatcherFor(ctx);
  // A step of its own, before the application is prepared (which only reads waivers): waivers that
  // expire when remediation is available and whose component now has a remediating version end here.
  await expireRemediatedWaiversAt(ctx, await resolveOwner(ctx.store, 'application', request.application_id));
  const prepared = await prepareApplication(ctx, request.application_id, matcher);

  if (request.kind === 'components') {
    const resolved = JSON.parse(request.input ?? '[]') as ResolvedComponent[];
    const evaluation = await evaluateComponents(ctx, prepared, resolved.map(identifyResolved), { stage });
    const result = componentEvaluationResult(request.application_id, ctx.now().toISOString(), evaluation);
    await finish(ctx, request.id, { result: JSON.stringify(result) });
    await queueRegistryFetches(ctx, evaluation.registryFetches);
    return {};
  }

  let sbom: Sbom | undefined;
  let components: IdentifiedComponent[];
  let inputRequestId: string | null = request.id;
  let reevaluation = false;
  if (request.kind === 'sbom') {
    sbom = takeSubmittedInput(request.id) ?? (await readScanInput(request.source, request.input ?? '', request.input_name ?? undefined, { validate: false }));
    components = identifySbom(sbom);
  } else if (request.kind === 'promote') {
    const { reportId } = JSON.parse(request.input ?? '{}') as { reportId: string };
    const earlier = await getReport(ctx, request.application_id, reportId);
    reevaluation = true;
    inputRequestId = earlier.row.input_request_id;
    const original = inputRequestId
      ? await ctx.store.db.selectFrom('evaluation_requests').select(['source', 'input', 'input_name', 'kind']).where('id', '=', inputRequestId).executeTakeFirst()
      : undefined;
    if (original?.kind === 'sbom' && original.input) {
      sbom = await readScanInput(original.source, original.input, original.input_name ?? undefined, { validate: false });
      components = identifySbom(sbom);
    } else {
      components = earlier.data.components.map(identifyReported);
    }
  } else {
    throw new ValidationError(`Unknown evaluation request kind ${request.kind}`);
  }
  const evaluation = await evaluateComponents(ctx, prepared, components, {
    stage,
    dependencies: sbom ? analyzeDependencies(sbom) : undefined,
    edges: sbom?.dependencies,
    analyses: sbom?.vulnerabilities,
  });
  const encoded = await encodeNewReport({
    applicationId: request.application_id,
    stage,
    source: request.kind === 'promote' ? 'promote' : request.source,
    inputRequestId,
    commitHash: request.kind === 'sbom' ? request.commit_hash : null,
    reevaluation,
    data: evaluation.data,
  });
  const reportId = await ctx.store.db.transaction().execute(async (trx: Trx) => {
    const report = await insertReport(trx, ctx, encoded);
    await trx
      .updateTable('evaluation_requests')
      .set({ status: 'succeeded', report_id: report.id, finished_at: ctx.now().toISOString() })
      .where('id', '=', request.id)
      .execute();
    await raiseEvaluationEvents(trx, ctx, {
      id: report.id,
      applicationId: request.application_id,
      stage,
      createdAt: report.created_at,
      data: evaluation.data,
      initiator: request.created_by,
    });
    return report.id;
  });
  // Its webhook deliveries (raised in that transaction) start now.
  announceJobQueued();
  await purgeApplicationReports(ctx, request.application_id);
  // After the report is stored: what the registry cache lacked is fetched for the next evaluation.
  await queueRegistryFetches(ctx, evaluation.registryFetches);
  return { reportId };
}

async function finish(ctx: AppContext, requestId: string, changes: { result: string }): Promise<void> {
  await ctx.store.db
    .updateTable('evaluation_requests')
    .set({ status: 'succeeded', result: changes.result, finished_at: ctx.now().toISOString() })
    .where('id', '=', requestId)
    .execute();
}

function identifyResolved(c: ResolvedComponent): IdentifiedComponent {
  const base = identifyComponent({ ref: c.packageUrl ?? c.hash ?? newId(), name: '', hashes: {}, purl: c.packageUrl ?? undefined });
  if (c.hash) base.hash = c.hash;
  if (!c.packageUrl) base.displayName = c.hash ?? base.displayName;
  return base;
}

/** A component of an earlier report, to evaluate again (its SBOM is not at hand). */
function identifyReported(c: ReportComponent): IdentifiedComponent {
  // A license the registry declared is not the SBOM's: the registry cache gives it again.
  const fromSbom = !c.licenseSource || c.licenseSource === 'sbom';
  const declared = fromSbom ? c.licenseData.declaredLicenses.map((l) => l.licenseId).filter((id) => id !== 'Not-Declared') : [];
  const out: IdentifiedComponent = { ref: c.packageUrl ?? c.hash, hash: c.hash, displayName: c.displayName, matchState: c.matchState === 'exact' ? 'exact' : 'unknown' };
  if (c.componentIdentifier && c.identificationSource !== 'Manual') out.componentIdentifier = c.componentIdentifier;
  if (c.packageUrl && c.identificationSource !== 'Manual') out.packageUrl = c.packageUrl;
  if (out.matchState === 'exact' && !out.packageUrl) out.matchState = 'unknown';
  if (c.identificationSource && c.identificationSource !== 'Manual') out.identificationSource = c.identificationSource;
  if (c.sha256) out.sha256 = c.sha256;
  if (declared.length) out.declaredLicense = declared.join(' AND ');
  return out;
}

/** The reference's ApiComponentEvaluationResultDTOV2 of a finished component evaluation. */
function componentEvaluationResult(applicationId: string, evaluationDate: string, evaluation: Evaluation) {
  return {
    applicationId,
    evaluationDate,
    isError: false,
    errorMessage: null,
    results: evaluation.data.components.map((c) => ({
      component: componentDTO(c),
      matchState: c.matchState,
      relativePopularity: null,
      hygieneRating: null,
      integrityRating: null,
      licenseData: {
        declaredLicenses: c.licenseData.declaredLicenses,
        observedLicenses: c.licenseData.observedLicenses,
        effectiveLicenses: c.licenseData.effectiveLicenses,
        overriddenLicenses: c.licenseData.overriddenLicenses,
        status: c.licenseData.status,
      },
      securityData: { securityIssues: c.securityIssues.map(securityIssueDTO) },
      policyData: {
        policyViolations: c.violations.map((v) => ({
          policyId: v.policyId,
          policyName: v.policyName,
          policyViolationId: v.policyViolationId,
          threatLevel: v.policyThreatLevel,
          openTime: evaluationDate,
          constraintViolations: constraintViolationsDTO(v),
        })),
      },
    })),
  };
}

/** The reference's ApiComponentDTOV2 of a reported component. */
export function componentDTO(c: ReportComponent) {
  const out: Record<string, unknown> = { hash: c.hash, displayName: c.displayName, proprietary: c.proprietary, thirdParty: false };
  if (c.componentIdentifier) out.componentIdentifier = c.componentIdentifier;
  if (c.packageUrl) out.packageUrl = c.packageUrl;
  if (c.originalPurl) out.originalPurl = c.originalPurl;
  if (c.sha256) out.sha256 = c.sha256;
  return out;
}

/**
 * The reference's ApiSecurityIssueDTO of a reported issue. `cvssVectorSource` says where the score
 * came from (report.ts scoreSourceOf: `osv:<record>`, `alias:<record>`, `nvd:<CVE>`,
 * `qualitative:<record>`), and `unscored` — with no severity — marks an issue nothing scores.
 */
export function securityIssueDTO(i: ReportData['components'][number]['securityIssues'][number]) {
  const out: Record<string, unknown> = { source: i.source, reference: i.reference, status: i.status, url: i.url };
  if (i.severity !== undefined) out.severity = i.severity;
  if (i.threatCategory) out.threatCategory = i.threatCategory;
  if (i.cvssVector) out.cvssVector = i.cvssVector;
  out.cvssVectorSource = scoreSourceOf(i);
  if (i.cwe) out.cwe = i.cwe;
  if (i.analysis) out.analysis = i.analysis;
  return out;
}
