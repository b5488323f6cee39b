import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { auditLines } from '../services/admin/audit.js';
import { errorResponses } from './dto/common.js';

export default async function auditLogRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/auditLogs',
    {
      schema: {
        tags: ['Audit Logs'],
        summary: 'Audit events between two UTC days (inclusive), one per line, oldest first',
        description:
          'Each line: the time, then user=, from=, action=, target= and detail= (the request body as JSON, secrets redacted). ' +
          'Without dates: today. Permissions required: Access Audit Log',
        querystring: Type.Object({
          startUtcDate: Type.Optional(Type.String({ description: 'yyyy-mm-dd' })),
          endUtcDate: Type.Optional(Type.String({ description: 'yyyy-mm-dd' })),
        }),
        produces: ['text/plain'],
        response: { 200: Type.String(), ...errorResponses },
      },
      config: { permission: requires('ACCESS_AUDIT_LOG') },
    },
    async (request, reply) => {
      const text = await auditLines(app.ctx, request.query.startUtcDate, request.query.endUtcDate);
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
}
