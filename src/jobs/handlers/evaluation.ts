import { failRequest, EVALUATION_JOB, runRequest } from '../../services/evaluation/evaluations.js';
import { ValidationError } from '../../core/errors.js';
import { PermanentJobError } from '../errors.js';
import type { JobHandler } from '../types.js';

/**
 * Runs an evaluation request (third-party scan, component evaluation, promoted scan). Bad input
 * fails at once; anything else is retried by the queue, and the request is marked failed only when
 * the last attempt fails, so that its status endpoint reports the error instead of "not ready".
 */
const evaluation: JobHandler<{ requestId: string }, { reportId?: string }> = {
  type: EVALUATION_JOB,
  async run(payload, job) {
    try {
      return await runRequest(job.ctx, payload.requestId);
    } catch (err) {
      const permanent = err instanceof ValidationError;
      if (permanent || job.attempt >= job.maxAttempts) {
        await failRequest(job.ctx, payload.requestId, (err as Error).message || 'The evaluation failed');
      }
      if (permanent) throw new PermanentJobError((err as Error).message);
      throw err;
    }
  },
};

export default evaluation;
