import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDTO } from '../../src/api/dto/jobs.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { submitJob } from '../../src/jobs/queue.js';
import type { JobHandler } from '../../src/jobs/types.js';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { createUser } from '../../src/services/access/users.js';
import { Value } from 'typebox/value';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { gate } from './helpers.js';

/** GET /api/v2/jobs/{jobId}: Tollgate's own, READ on the job's owner or CONFIGURE_SYSTEM for system jobs. */
let server: TestServer;
const DEV: [string, string] = ['devi', 'devi-password'];
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: DEV[0], password: DEV[1] });
  orgId = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Builders' } })).body.id;
  const grant = await server.request('PUT', `/api/v2/roleMemberships/organization/${orgId}/role/${builtInRoleId('Developer')}/USER/${DEV[0]}`);
  expect(grant.status).toBe(204);
});
afterAll(async () => {
  await server?.close();
});

const getJob = (id: string, auth?: [string, string] | null) => server.request('GET', `/api/v2/jobs/${id}`, { auth });

describe('GET /api/v2/jobs/{jobId}', () => {
  it('reports a running job’s progress, then its result', async () => {
    const reported = gate();
    const finish = gate();
    const handler: JobHandler<{ items: number }, { evaluated: number }> = {
      type: 'api-progress',
      async run(payload, job) {
        await job.progress({ done: 1, total: payload.items, message: 'evaluating components' });
        reported.open();
        await finish.promise;
        await job.progress({ done: payload.items, total: payload.items });
        return { evaluated: payload.items };
      },
    };
    const { id } = await submitJob(server.ctx, { type: 'api-progress', payload: { items: 3 }, owner: { type: 'organization', id: orgId } });

    const queued = await getJob(id);
    expect(queued.status).toBe(200);
    expect(queued.body).toMatchObject({ id, type: 'api-progress', status: 'queued', attempts: 0, ownerType: 'organization', ownerId: orgId });
    expect(Value.Check(JobDTO, queued.body)).toBe(true);

    const pool = new WorkerPool(server.ctx, { handlers: [handler], pollIntervalMs: 10_000 });
    await pool.start();
    await reported.promise;
    const running = await getJob(id, DEV);
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ status: 'running', attempts: 1, progress: { done: 1, total: 3, message: 'evaluating components' } });
    expect(running.body.startedAt).toBeTruthy();
    expect(running.body.payload).toBeUndefined();

    finish.open();
    await pool.stop(10_000);
    const done = await getJob(id, DEV);
    expect(done.body).toMatchObject({ status: 'succeeded', result: { evaluated: 3 }, progress: { done: 3, total: 3 } });
    expect(done.body.finishedAt).toBeTruthy();
    expect(Value.Check(JobDTO, done.body)).toBe(true);
  });

  it('shows a failed job’s error', async () => {
    const handler: JobHandler = {
      type: 'api-fails',
      async run() {
        throw new Error('the SBOM could not be parsed');
      },
    };
    const { id } = await submitJob(server.ctx, { type: 'api-fails', payload: {}, maxAttempts: 1 });
    await new WorkerPool(server.ctx, { handlers: [handler] }).drain();
    const res = await getJob(id);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 1, maxAttempts: 1, error: 'the SBOM could not be parsed', ownerType: 'global' });
    expect(res.body.ownerId).toBeUndefined();
  });

  it('needs credentials, READ on the owner, and CONFIGURE_SYSTEM for system jobs', async () => {
    const orgJob = await submitJob(server.ctx, { type: 'api-perm', payload: {}, owner: { type: 'organization', id: orgId } });
    const rootJob = await submitJob(server.ctx, { type: 'api-perm', payload: {}, owner: { type: 'organization', id: 'ROOT_ORGANIZATION_ID' } });
    const systemJob = await submitJob(server.ctx, { type: 'api-perm', payload: {} });

    expect((await getJob(orgJob.id, null)).status).toBe(401);
    expect((await getJob(orgJob.id, DEV)).status).toBe(200);
    const forbidden = await getJob(rootJob.id, DEV);
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toMatch(/READ/);
    const system = await getJob(systemJob.id, DEV);
    expect(system.status).toBe(403);
    expect(system.text).toMatch(/CONFIGURE_SYSTEM/);
    expect((await getJob(systemJob.id)).status).toBe(200);
  });

  it('answers 404 for an unknown job', async () => {
    const res = await getJob('0123456789abcdef0123456789abcdef');
    expect(res.status).toBe(404);
    expect(res.text).toBe('Job 0123456789abcdef0123456789abcdef not found.');
  });
});
