import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { applicationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { type ReportTarget, checkSpdxFormat, cycloneDxOf, exportFileName, reportToExport, spdxText, tarGz } from '../services/reports/sbom-export.js';
import { errorResponses } from './dto/common.js';

const tags = ['SPDX'];
const permission = requires('READ', applicationParam('applicationId'));

const Query = Type.Object({
  format: Type.Optional(Type.String({ default: 'json' })),
  generateCycloneDx: Type.Optional(Type.Boolean({ default: false })),
  spdxVersion: Type.Optional(Type.String({ default: '2.3' })),
});
type QueryType = { format?: string; generateCycloneDx?: boolean; spdxVersion?: string };

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', xml: 'application/xml; charset=utf-8' };

export default async function spdxExportRoutes(app: TollgateApp): Promise<void> {
  async function send(reply: FastifyReply, applicationId: string, query: QueryType, target: ReportTarget) {
    const format = checkSpdxFormat(query.format);
    const report = await reportToExport(app.ctx, applicationId, target);
    const spdxVersion = query.spdxVersion ?? '2.3';
    const spdx = spdxText(report, spdxVersion, format);
    const spdxName = exportFileName(report, `spdx-${spdxVersion}`, format);
    if (!query.generateCycloneDx) {
      return reply.type(CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="${spdxName}"`).send(spdx);
    }
    // Both in the format asked for: CycloneDX writes JSON and XML alike.
    const archive = tarGz(
      [
        { name: spdxName, text: spdx },
        { name: exportFileName(report, 'cyclonedx-1.6', format), text: cycloneDxOf(report, '1.6', format) },
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
        summary: 'A report as an SPDX SBOM, JSON or XML (with generateCycloneDx=true: both, as tar.gz)',
        params: Type.Object({ applicationId: Type.String(), scanId: Type.String() }),
        querystring: Query,
        response: errorResponses,
      },
      config: { permission },
    },
    async (request, reply) => send(reply, request.params.applicationId, request.query, { reportId: request.params.scanId }),
  );

  app.get(
    '/api/v2/spdx/:applicationId/stages/:stageId',
    {
      schema: {
        tags,
        summary: 'The newest report of a stage as an SPDX SBOM, JSON or XML',
        params: Type.Object({ applicationId: Type.String(), stageId: Type.String() }),
        querystring: Query,
        response: errorResponses,
      },
      config: { permission },
    },
    async (request, reply) => send(reply, request.params.applicationId, request.query, { stage: request.params.stageId }),
  );
}
