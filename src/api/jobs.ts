import { Type } from 'typebox';
import { checkedInHandler } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { getJob } from '../jobs/queue.js';
import { errorResponses } from './dto/common.js';
import { JobDTO } from './dto/jobs.js';

/** Tollgate's own: the state and progress of a queued job (evaluation, import, …). */
export default async function jobRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/jobs/:jobId',
    {
      schema: {
        tags: ['Tollgate'],
        summary: "A job's status, progress and outcome (READ on its owner; CONFIGURE_SYSTEM for system jobs)",
        params: Type.Object({ jobId: Type.String() }),
        response: { 200: JobDTO, ...errorResponses },
      },
      config: { tollgate: true, permission: checkedInHandler("READ on the job's owner, CONFIGURE_SYSTEM for system jobs (the owner is the stored job's)") },
    },
    async (request) => {
      const job = await getJob(app.ctx, request.params.jobId);
      if (job.owner.type === 'global') await request.authorize('CONFIGURE_SYSTEM');
      else await request.authorize('READ', job.owner);
      const { owner, payload: _payload, ...rest } = job;
      return { ...rest, ownerType: owner.type, ownerId: owner.type === 'global' ? undefined : owner.id };
    },
  );
}
