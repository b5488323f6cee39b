import { Type } from 'typebox';
import { applicationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { checkScanBodyKind, getRequest, submitScan, TooLargeError } from '../services/evaluation/evaluations.js';
import { getReportSummary } from '../services/reports/reports.js';
import { scanResultDTO } from '../services/reports/report-views.js';
import { effectiveBaseUrl } from '../services/admin/system-config.js';
import { applicationById } from '../services/evaluation/evaluations.js';
import { NotFoundError } from '../core/errors.js';
import { idempotencyKeyOfRequest } from '../http/idempotency-key.js';
import { IDEMPOTENT_REPLAYED_HEADER, IdempotencyKeyReusedError } from '../services/evaluation/idempotency.js';
import { IdempotencyKeyHeaders, IDEMPOTENCY_DESCRIPTION } from './dto/idempotency.js';
import { PlainText, errorResponses } from './dto/common.js';
import { ThirdPartyScanResultDTO, ThirdPartyScanTicketDTO } from './dto/evaluation.js';

const tags = ['Third-Party Analysis'];
const application = applicationParam('applicationId');

/** What "Try it out" in the Swagger UI starts from: a one-component SBOM in each syntax. */
const SBOM_EXAMPLE_JSON = JSON.stringify(
  {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [{ type: 'library', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' }],
  },
  null,
  2,
);
const SBOM_EXAMPLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <components>
    <component type="library"><name>lodash</name><version>4.17.15</version><purl>pkg:npm/lodash@4.17.15</purl></component>
  </components>
</bom>`;

export default async function thirdPartyScanRoutes(app: TollgateApp): Promise<void> {
  // The SBOM reader wants the document exactly as sent (JSON schema validation, XML), so bodies of
  // these routes are read as text whatever their content type. Encapsulated: other routes keep
  // their parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    try {
      checkScanBodyKind(request.headers['content-type'], body as string);
      done(null, body);
    } catch (err) {
      done(err as Error);
    }
  });

  app.post(
    '/api/v2/scan/applications/:applicationId/sources/:source',
    {
      schema: {
        tags,
        summary: 'Evaluate an SBOM (CycloneDX or SPDX, told from the content; Tollgate also reads lockfiles named by ?fileName=)',
        description:
          'The body is the SBOM as the tool wrote it; its format is read from the content, whatever the content type. ' +
          '`source` names the tool that sends it (`cyclonedx`, `spdx`, or a client such as `auditjs`, `nancy`, `jake`, `chelsea`): ' +
          'letters, digits, `.`, `_`, `-`, at most 64. It is recorded on the report. `cyclonedx` and `spdx` must match the body.\n\n' +
          `${IDEMPOTENCY_DESCRIPTION}\n\n` +
          'Permissions required: Evaluate Applications',
        params: Type.Object({
          applicationId: Type.String({ description: 'the application internal id (GET /api/v2/applications?publicId=…)' }),
          source: Type.String({ description: 'the tool that sends the SBOM, e.g. cyclonedx, spdx, auditjs, nancy' }),
        }),
        body: {
          description: 'The SBOM: CycloneDX 1.0–1.7 JSON or XML, SPDX 2.2/2.3 JSON, XML or tag-value (or, with ?fileName=, a lockfile)',
          content: {
            'application/json': { schema: Type.String({ description: 'CycloneDX or SPDX JSON', examples: [SBOM_EXAMPLE_JSON] }) },
            'application/xml': { schema: Type.String({ description: 'CycloneDX or SPDX XML', examples: [SBOM_EXAMPLE_XML] }) },
            'text/plain': { schema: Type.String({ description: 'SPDX tag-value, or a lockfile named by ?fileName=' }) },
          },
        },
        querystring: Type.Object({
          stageId: Type.Optional(Type.String({ default: 'build' })),
          fileName: Type.Optional(Type.String({ description: 'Tollgate: read the body as this lockfile (poetry.lock, go.mod, package-lock.json, …)' })),
          commitHash: Type.Optional(Type.String({ description: 'Tollgate: the Git commit the SBOM was built from (for policy violation diffs by commit)' })),
        }),
        headers: IdempotencyKeyHeaders,
        response: { 202: ThirdPartyScanTicketDTO, 413: PlainText, 422: PlainText, ...errorResponses },
      },
      config: { audit: 'application.scan', permission: requires('EVALUATE_APPLICATION', application) },
    },
    async (request, reply) => {
      const { applicationId, source } = request.params;
      const body = typeof request.body === 'string' ? request.body : '';
      const idempotency = idempotencyKeyOfRequest(request, body);
      try {
        const submitted = await submitScan(
          app.ctx,
          {
            applicationId,
            source,
            stage: request.query.stageId,
            body,
            fileName: request.query.fileName,
            commitHash: request.query.commitHash,
            username: request.principal!.username,
          },
          { idempotency, answer: ({ id }) => ({ status: 202, body: { statusUrl: `api/v2/scan/applications/${applicationId}/status/${id}` } }) },
        );
        if (submitted.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return reply.status(submitted.answer.status as 202).send(submitted.answer.body as never);
      } catch (err) {
        if (err instanceof TooLargeError) return reply.status(413).type('text/plain; charset=utf-8').send(err.message);
        if (err instanceof IdempotencyKeyReusedError) return reply.status(422).type('text/plain; charset=utf-8').send(err.message);
        throw err;
      }
    },
  );

  app.get(
    '/api/v2/scan/applications/:applicationId/status/:scanRequestId',
    {
      schema: {
        tags,
        summary: 'The result of an SBOM evaluation; 404 until it is ready. Its links are absolute, built from the baseUrl system property, else the configured baseUrl',
        params: Type.Object({ applicationId: Type.String(), scanRequestId: Type.String() }),
        response: { 200: ThirdPartyScanResultDTO, ...errorResponses },
      },
      config: { permission: requires('EVALUATE_APPLICATION', application) },
    },
    async (request) => {
      const { applicationId, scanRequestId } = request.params;
      const scan = await getRequest(app.ctx, applicationId, scanRequestId, ['sbom']);
      if (scan.status === 'failed') return { isError: true, errorMessage: scan.error ?? 'The evaluation failed' };
      const report = scan.status === 'succeeded' && scan.report_id ? await getReportSummary(app.ctx, scan.report_id) : undefined;
      if (!report) throw new NotFoundError('Evaluation report is not ready');
      const { publicId } = await applicationById(app.ctx, applicationId);
      return scanResultDTO(publicId, report, (await effectiveBaseUrl(app.ctx)).url);
    },
  );
}
