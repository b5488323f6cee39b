import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { ValidationError } from '../services/errors.js';
import { type ReportTarget, cycloneDxOf, exportFileName, reportToExport, spdxOf, tarGz } from '../services/sbom-export.js';
import { errorResponses } from './dto/common.js';

const tags = ['SPDX'];
const PARTIAL = 'SPDX JSON only: format=xml is answered 400 (Tollgate writes no SPDX XML/RDF)';

const Query = Type.Object({
  format: Type.Optional(Type.String({ default: 'json' })),
  generateCycloneDx: Type.Optional(Type.Boolean({ default: false })),
  spdxVersion: Type.Optional(Type.String({ default: '2.3' })),
});
type QueryType = { format?: string; generateCycloneDx?: boolean; spdxVersion?: string };

export default async function spdxExportRoutes(app: TollgateApp): Promise<void> {
  async function send(request: FastifyRequest, reply: FastifyReply, applicationId: string, query: QueryType, target: ReportTarget) {
    const format = (query.format ?? 'json').trim().toLowerCase();
    if (format !== 'json') {
      throw new ValidationError(format === 'xml' ? 'Tollgate writes SPDX as JSON only: use format=json' : `Unknown format "${query.format}": use json`);
    }
    await request.authorize('READ', { type: 'application', id: applicationId });
    const report = await reportToExport(app.ctx, applicationId, target);
    const spdxVersion = query.spdxVersion ?? '2.3';
    const spdx = `${JSON.stringify(spdxOf(report, spdxVersion), null, 2)}\n`;
    const spdxName = exportFileName(report, `spdx-${spdxVersion}`, 'json');
    if (!query.generateCycloneDx) {
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${spdxName}"`).send(spdx);
    }
    const archive = tarGz(
      [
        { name: spdxName, text: spdx },
        { name: exportFileName(report, 'cyclonedx-1.6', 'json'), text: cycloneDxOf(report, '1.6', 'json') },
      ],
      new Date(report.createdAt),
    );
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${exportFileName(report, 'sbom', 'tar.gz')}"`)
      .send(archive);
  }

  app.get(
    '/api/v2/spdx/:applicationId/reports/:scanId',
    {
      schema: {
        tags,
        summary: 'A report as an SPDX SBOM (with generateCycloneDx=true: both, as tar.gz)',
        params: Type.Object({ applicationId: Type.String(), scanId: Type.String() }),
        querystring: Query,
        response: errorResponses,
      },
      config: { partial: PARTIAL },
    },
    async (request, reply) => send(request, reply, request.params.applicationId, request.query, { reportId: request.params.scanId }),
  );

  app.get(
    '/api/v2/spdx/:applicationId/stages/:stageId',
    {
      schema: {
        tags,
        summary: 'The newest report of a stage as an SPDX SBOM',
        params: Type.Object({ applicationId: Type.String(), stageId: Type.String() }),
        querystring: Query,
        response: errorResponses,
      },
      config: { partial: PARTIAL },
    },
    async (request, reply) => send(request, reply, request.params.applicationId, request.query, { stage: request.params.stageId }),
  );
}
