import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { getJob, submitJob } from '../../src/jobs/queue.js';
import { startServer } from '../../src/server.js';

it('starts the job workers with the server and stops them on close, leaving queued jobs queued', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-jobs-'));
  try {
    const config = loadConfig({ file: false, env: { TOLLGATE_JOBS_CONCURRENCY: '3' }, overrides: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' } });
    const server = await startServer(config);
    expect(server.jobs.running).toBe(0);
    // No handler for this type is installed: it waits for a server that has one.
    const job = await submitJob(server.ctx, { type: 'nobody-handles-this', payload: {} });
    server.jobs.notify();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect((await getJob(server.ctx, job.id)).status).toBe('queued');
    await server.close();
    const again = await startServer(config);
    expect((await getJob(again.ctx, job.id)).status).toBe('queued');
    await again.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
