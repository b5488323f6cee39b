import { Type } from 'typebox';
import { GLOBAL_SCOPE, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { scheduleViews } from '../services/admin/schedules.js';
import { errorResponses } from './dto/common.js';

const ScheduleDTO = Type.Object({
  name: Type.String(),
  enabled: Type.Boolean(),
  intervalSeconds: Type.Optional(Type.Integer()),
  nextRunAt: Type.Optional(Type.String()),
  lastClaimedAt: Type.Optional(Type.String()),
  lastClaimedBy: Type.Optional(Type.String()),
  lastJobId: Type.Optional(Type.String()),
  lastJobStatus: Type.Optional(Type.String()),
  lastFinishedAt: Type.Optional(Type.String()),
  lastOutcome: Type.Optional(Type.String()),
});

/** Tollgate's own: the periodic work every node shares (jobs/scheduler.ts), read-only. */
export default async function scheduleRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/schedules',
    {
      schema: {
        tags: ['Tollgate'],
        summary: 'The periodic data syncs: whether each is on, when it runs next, which node queued its last run and how that ended',
        response: { 200: Type.Object({ schedules: Type.Array(ScheduleDTO) }), ...errorResponses },
      },
      // The state of system work, as a system job's is (GET /api/v2/jobs/{jobId}).
      config: { tollgate: true, permission: requires('CONFIGURE_SYSTEM', GLOBAL_SCOPE) },
    },
    async () => ({ schedules: await scheduleViews(app.ctx) }),
  );
}
