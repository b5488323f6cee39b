import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { databaseAnswers } from '../services/admin/health.js';
import { PRODUCT_VERSION, TOLLGATE_VERSION } from '../version.js';

/** Health and version: public, for load balancers and for clients that check the server release. */
export default async function systemRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/health',
    {
      schema: { tags: ['Tollgate'], summary: 'Liveness and database check', response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Object({ status: Type.String(), database: Type.String() }) } },
      config: { public: true, tollgate: true, rateLimit: false },
    },
    async (_request, reply) => {
      if (await databaseAnswers(app.ctx)) return { status: 'UP', database: app.ctx.store.dialect };
      return reply.status(503).send({ status: 'DOWN', database: app.ctx.store.dialect });
    },
  );
  app.get(
    '/api/v2/product/version',
    {
      schema: {
        tags: ['Tollgate'],
        summary: 'The product version ({major}.{release}.{patch}-{build}) and Tollgate’s own version',
        response: { 200: Type.Object({ version: Type.String(), release: Type.Integer(), tollgateVersion: Type.String() }) },
      },
      config: { public: true, tollgate: true },
    },
    async () => ({ version: PRODUCT_VERSION, release: Number(PRODUCT_VERSION.split('.')[1]), tollgateVersion: TOLLGATE_VERSION }),
  );
}
