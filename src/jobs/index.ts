// The durable job queue: submit with submitJob, run with a WorkerPool (started by server.ts).
export { JobQueueFullError, PermanentJobError } from './errors.js';
export { loadJobHandlers } from './handlers.js';
export { WorkerPool, type WorkerPoolOptions } from './pool.js';
export { getJob, submitJob, type SubmitOptions } from './queue.js';
export type { Job, JobHandler, JobOwner, JobProgress, JobStatus, RunningJob } from './types.js';
