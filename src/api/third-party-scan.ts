import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { getRequest, submitScan, TooLargeError } from '../services/evaluations.js';
import { getReportSummary } from '../services/reports.js';
import { scanResultDTO } from '../services/report-views.js';
import { applicationById } from '../services/evaluations.js';
import { NotFoundError } from '../services/errors.js';
import { PlainText, errorResponses } from './dto/common.js';
import { ThirdPartyScanResultDTO, ThirdPartyScanTicketDTO } from './dto/evaluation.js';

const tags = ['Third-Party Analysis'];

export default async function thirdPartyScanRoutes(app: TollgateApp): Promise<void> {
  // The SBOM reader wants the document exactly as sent (JSON schema validation, XML), so bodies of
  // these routes are read as text whatever their content type. Encapsulated: other routes keep
  // their parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v2/scan/applications/:applicationId/sources/:source',
    {
      schema: {
        tags,
        summary: 'Evaluate an SBOM (CycloneDX or SPDX; Tollgate also reads lockfiles named by ?fileName=)',
        params: Type.Object({ applicationId: Type.String(), source: Type.String() }),
        querystring: Type.Object({
          stageId: Type.Optional(Type.String({ default: 'build' })),
          fileName: Type.Optional(Type.String({ description: 'Tollgate: read the body as this lockfile (poetry.lock, go.mod, package-lock.json, …)' })),
          commitHash: Type.Optional(Type.String({ description: 'Tollgate: the Git commit the SBOM was built from (for policy violation diffs by commit)' })),
        }),
        response: { 202: ThirdPartyScanTicketDTO, 413: PlainText, ...errorResponses },
      },
      config: { audit: 'application.scan' },
    },
    async (request, reply) => {
      const { applicationId, source } = request.params;
      await request.authorize('EVALUATE_APPLICATION', { type: 'application', id: applicationId });
      const body = typeof request.body === 'string' ? request.body : '';
      try {
        const id = await submitScan(app.ctx, {
          applicationId,
          source,
          stage: request.query.stageId,
          body,
          fileName: request.query.fileName,
          commitHash: request.query.commitHash,
          username: request.principal!.username,
        });
        return reply.status(202).send({ statusUrl: `api/v2/scan/applications/${applicationId}/status/${id}` });
      } catch (err) {
        if (err instanceof TooLargeError) return reply.status(413).type('text/plain; charset=utf-8').send(err.message);
        throw err;
      }
    },
  );

  app.get(
    '/api/v2/scan/applications/:applicationId/status/:scanRequestId',
    {
      schema: {
        tags,
        summary: 'The result of an SBOM evaluation; 404 until it is ready',
        params: Type.Object({ applicationId: Type.String(), scanRequestId: Type.String() }),
        response: { 200: ThirdPartyScanResultDTO, ...errorResponses },
      },
    },
    async (request) => {
      const { applicationId, scanRequestId } = request.params;
      await request.authorize('EVALUATE_APPLICATION', { type: 'application', id: applicationId });
      const scan = await getRequest(app.ctx, applicationId, scanRequestId, ['sbom']);
      if (scan.status === 'failed') return { isError: true, errorMessage: scan.error ?? 'The evaluation failed' };
      const report = scan.status === 'succeeded' && scan.report_id ? await getReportSummary(app.ctx, scan.report_id) : undefined;
      if (!report) throw new NotFoundError('Evaluation report is not ready');
      const { publicId } = await applicationById(app.ctx, applicationId);
      return scanResultDTO(publicId, report);
    },
  );
}
