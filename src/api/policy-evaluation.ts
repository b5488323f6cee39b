import { Type } from 'typebox';
import { applicationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { NotFoundError } from '../core/errors.js';
import { applicationById, getRequest, submitComponentEvaluation, submitPromotion, TooLargeError } from '../services/evaluation/evaluations.js';
import { getReportSummary } from '../services/reports/reports.js';
import { reportUrls } from '../services/reports/report-views.js';
import { PlainText, errorResponses } from './dto/common.js';
import { idempotencyKeyOfRequest } from '../http/idempotency-key.js';
import { IDEMPOTENT_REPLAYED_HEADER, IdempotencyKeyReusedError } from '../services/evaluation/idempotency.js';
import { IdempotencyKeyHeaders, IDEMPOTENCY_DESCRIPTION } from './dto/idempotency.js';
import {
  ApplicationEvaluationResultDTO,
  ApplicationEvaluationStatusDTO,
  ComponentEvaluationRequestDTO,
  ComponentEvaluationResultDTO,
  ComponentEvaluationTicketDTO,
  PromoteScanRequestDTO,
} from './dto/evaluation.js';

const tags = ['Policy Evaluation'];
const ApplicationId = Type.Object({ applicationId: Type.String() });
const application = applicationParam('applicationId');

export default async function policyEvaluationRoutes(app: TollgateApp): Promise<void> {
  app.post(
    '/api/v2/evaluation/applications/:applicationId',
    {
      schema: {
        tags,
        summary: 'Evaluate components (by hash, identifier or package URL) against the application’s policies',
        description: IDEMPOTENCY_DESCRIPTION,
        params: ApplicationId,
        headers: IdempotencyKeyHeaders,
        body: ComponentEvaluationRequestDTO,
        response: { 200: ComponentEvaluationTicketDTO, 413: PlainText, 422: PlainText, ...errorResponses },
      },
      config: { audit: 'application.evaluateComponents', permission: requires('EVALUATE_COMPONENT', application) },
    },
    async (request, reply) => {
      const { applicationId } = request.params;
      const idempotency = idempotencyKeyOfRequest(request);
      try {
        const submitted = await submitComponentEvaluation(
          app.ctx,
          { applicationId, components: request.body.components, username: request.principal!.username },
          {
            idempotency,
            answer: ({ id, createdAt }) => ({
              status: 200,
              body: { resultId: id, submittedDate: createdAt, applicationId, resultsUrl: `api/v2/evaluation/applications/${applicationId}/results/${id}` },
            }),
          },
        );
        if (submitted.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return reply.status(submitted.answer.status as 200).send(submitted.answer.body as never);
      } catch (err) {
        if (err instanceof TooLargeError) return reply.status(413).type('text/plain; charset=utf-8').send(err.message);
        if (err instanceof IdempotencyKeyReusedError) return reply.status(422).type('text/plain; charset=utf-8').send(err.message);
        throw err;
      }
    },
  );

  app.get(
    '/api/v2/evaluation/applications/:applicationId/results/:resultId',
    {
      schema: {
        tags,
        summary: 'The result of a component evaluation; 404 until it is ready',
        params: Type.Object({ applicationId: Type.String(), resultId: Type.String() }),
        response: { 200: ComponentEvaluationResultDTO, ...errorResponses },
      },
      config: { permission: requires('EVALUATE_COMPONENT', application) },
    },
    async (request) => {
      const { applicationId, resultId } = request.params;
      const evaluation = await getRequest(app.ctx, applicationId, resultId, ['components']);
      if (evaluation.status === 'failed') {
        return { applicationId, evaluationDate: evaluation.finished_at ?? evaluation.created_at, isError: true, errorMessage: evaluation.error ?? 'The evaluation failed', results: [] };
      }
      if (evaluation.status !== 'succeeded' || !evaluation.result) throw new NotFoundError('The evaluation result is not ready');
      return JSON.parse(evaluation.result);
    },
  );

  app.post(
    '/api/v2/evaluation/applications/:applicationId/promoteScan',
    {
      schema: {
        tags,
        summary: 'Evaluate an earlier scan (by scanId, or the newest of a stage) again, for another stage',
        description: IDEMPOTENCY_DESCRIPTION,
        params: ApplicationId,
        headers: IdempotencyKeyHeaders,
        body: PromoteScanRequestDTO,
        response: { 200: ApplicationEvaluationStatusDTO, 422: PlainText, ...errorResponses },
      },
      config: { audit: 'application.promoteScan', permission: requires('EVALUATE_APPLICATION', application) },
    },
    async (request, reply) => {
      const { applicationId } = request.params;
      const idempotency = idempotencyKeyOfRequest(request);
      try {
        const submitted = await submitPromotion(
          app.ctx,
          { applicationId, ...request.body, username: request.principal!.username },
          { idempotency, answer: ({ id }) => ({ status: 200, body: { statusUrl: `api/v2/evaluation/applications/${applicationId}/status/${id}` } }) },
        );
        if (submitted.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return reply.status(submitted.answer.status as 200).send(submitted.answer.body as never);
      } catch (err) {
        if (err instanceof IdempotencyKeyReusedError) return reply.status(422).type('text/plain; charset=utf-8').send(err.message);
        throw err;
      }
    },
  );

  app.get(
    '/api/v2/evaluation/applications/:applicationId/status/:statusId',
    {
      schema: {
        tags,
        summary: 'The status of a promoted scan: PENDING, FAILED or COMPLETED with the report’s URLs',
        params: Type.Object({ applicationId: Type.String(), statusId: Type.String() }),
        response: { 200: ApplicationEvaluationResultDTO, ...errorResponses },
      },
      config: { partial: 'only promoted scans have a status here (Tollgate does not take application scans through this API)', permission: requires('EVALUATE_APPLICATION', application) },
    },
    async (request) => {
      const { applicationId, statusId } = request.params;
      const evaluation = await getRequest(app.ctx, applicationId, statusId, ['promote']);
      if (evaluation.status === 'failed') return { status: 'FAILED', reason: evaluation.error ?? 'The evaluation failed' };
      const report = evaluation.status === 'succeeded' && evaluation.report_id ? await getReportSummary(app.ctx, evaluation.report_id) : undefined;
      if (!report) return { status: 'PENDING' };
      const { publicId } = await applicationById(app.ctx, applicationId);
      return { status: 'COMPLETED', ...reportUrls(publicId, report.id) };
    },
  );
}
