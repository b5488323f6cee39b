import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { applicationParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { ValidationError } from '../core/errors.js';
import { type ReportTarget, checkCycloneDxVersion, cycloneDxOf, exportFileName, reportToExport } from '../services/reports/sbom-export.js';
import { PlainText, errorResponses } from './dto/common.js';

const tags = ['CycloneDX'];
const permission = requires('READ', applicationParam('applicationId'));
const responses = { 406: PlainText, ...errorResponses };
const PARTIAL = 'CycloneDX 1.1 (XML only in the reference) is not written (400); 1.2 and 1.3 have no vulnerabilities';

/** The media type an Accept header prefers among JSON and XML; XML when it names neither or anything. */
export function preferredFormat(accept: string | undefined): 'json' | 'xml' | undefined {
  if (!accept?.trim()) return 'xml';
  let best: { format: 'json' | 'xml'; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const format = /^application\/(vnd\.cyclonedx\+)?json$/.test(type) ? 'json' : /^(application|text)\/(vnd\.cyclonedx\+)?xml$|^\*\/\*$|^application\/\*$/.test(type) ? 'xml' : undefined;
    if (format && (!best || q > best.q)) best = { format, q };
  }
  return best?.format;
}

export default async function cycloneDxExportRoutes(app: TollgateApp): Promise<void> {
  async function send(request: FastifyRequest, reply: FastifyReply, applicationId: string, cdxVersion: string, target: ReportTarget) {
    const version = checkCycloneDxVersion(cdxVersion);
    const format = preferredFormat(request.headers.accept);
    if (!format) return reply.status(406).type('text/plain; charset=utf-8').send('CycloneDX is written as application/json or application/xml');
    const report = await reportToExport(app.ctx, applicationId, target);
    const text = cycloneDxOf(report, version, format);
    return reply
      .type(format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(report, `cyclonedx-${version}`, format)}"`)
      .send(text);
  }

  app.get(
    '/api/v2/cycloneDx/:cdxVersion/:applicationId/reports/:reportId',
    {
      schema: {
        tags,
        summary: 'A report as a CycloneDX SBOM (Accept: application/json or application/xml, the default)',
        params: Type.Object({ cdxVersion: Type.String(), applicationId: Type.String(), reportId: Type.String() }),
        response: responses,
      },
      config: { partial: PARTIAL, permission },
    },
    async (request, reply) => {
      const { cdxVersion, applicationId, reportId } = request.params;
      return send(request, reply, applicationId, cdxVersion, { reportId });
    },
  );

  app.get(
    '/api/v2/cycloneDx/:cdxVersion/:applicationId/stages/:stageId',
    {
      schema: {
        tags,
        summary: 'The newest report of a stage as a CycloneDX SBOM',
        params: Type.Object({ cdxVersion: Type.String(), applicationId: Type.String(), stageId: Type.String() }),
        response: responses,
      },
      config: { partial: PARTIAL, permission },
    },
    async (request, reply) => {
      const { cdxVersion, applicationId, stageId } = request.params;
      if (!stageId.trim()) throw new ValidationError('stageId is required');
      return send(request, reply, applicationId, cdxVersion, { stage: stageId });
    },
  );
}
