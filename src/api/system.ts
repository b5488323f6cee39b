import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { databaseAnswers, pendingMigrations } from '../services/admin/health.js';
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
  const Readiness = Type.Object({ status: Type.String(), database: Type.String(), reason: Type.Optional(Type.String()) });
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['Tollgate'],
        summary: 'Readiness for a load balancer: 200 while this node takes requests; 503 while it drains (SIGTERM), its database does not answer or lacks migrations',
        response: { 200: Readiness, 503: Readiness },
      },
      config: { public: true, tollgate: true, rateLimit: false, answersWhileDraining: true },
    },
    async (_request, reply) => {
      const database = app.ctx.store.dialect;
      const notReady = (reason: string) => reply.status(503).send({ status: 'NOT_READY', database, reason });
      // Draining first: the load balancer should stop sending before the connections close.
      if (app.draining) return notReady('shutting down: finishing in-flight requests');
      if (!(await databaseAnswers(app.ctx))) return notReady('the database does not answer');
      try {
        const pending = await pendingMigrations(app.ctx);
        if (pending.length) return notReady(`database migrations not applied: ${pending.join(', ')}`);
      } catch {
        return notReady('the database does not answer');
      }
      return { status: 'READY', database };
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
