import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import scheduled from '../../src/jobs/handlers/scheduled.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { SCHEDULED_WORK } from '../../src/jobs/scheduled-work.js';
import { SCHEDULED_JOB, Scheduler } from '../../src/jobs/scheduler.js';
import type { Store } from '../../src/store/db.js';
import { type TestServer, onPostgres, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { contextWith, secondStore } from './helpers.js';

/**
 * The shared schedule (jobs/scheduler.ts): nodes on one database, each with its own connection,
 * tick at once and one run is queued. test/cluster/nodes.test.ts runs it across real servers.
 */
let server: TestServer;
const stores: Store[] = [];

beforeAll(async () => {
  // vulndb sync every hour from a mirror that refuses connections: a run is quick and logs its failure.
  server = await startTestServer({
    vulndb: { mirrorUrl: 'http://127.0.0.1:1', ecosystems: ['PyPI'], syncIntervalHours: 1 },
    schedules: { tickSeconds: 3600, firstRunDelaySeconds: 0 },
  });
  for (let i = 0; i < 2; i++) stores.push(await secondStore(server));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await server?.close();
});

const scheduledJobs = () => server.ctx.store.db.selectFrom('jobs').selectAll().where('type', '=', SCHEDULED_JOB).execute();

describe('the shared schedule', () => {
  it('queues a due run once however many nodes tick, and not again while it waits or runs', async () => {
    const nodes = [server.ctx, ...stores.map((store) => contextWith(server.ctx, { store }))].map((ctx, i) => new Scheduler(ctx, SCHEDULED_WORK, `node-${i}`));
    expect(nodes[0].names).toEqual(['vulndb.sync']);
    // At once on PostgreSQL. One after another on SQLite: better-sqlite3 waits for a lock
    // synchronously, so connections in one process would block the one holding it.
    const each = async (act: (n: Scheduler) => Promise<void>) => {
      if (onPostgres) await Promise.all(nodes.map(act));
      else for (const n of nodes) await act(n);
    };
    await each((n) => n.start());
    await each((n) => n.tick());
    await each((n) => n.stop());
    const jobs = await scheduledJobs();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0].payload)).toEqual({ schedule: 'vulndb.sync' });

    const before = await server.request('GET', '/api/v2/schedules');
    expect(before.status).toBe(200);
    const vulndb = before.body.schedules.find((s: { name: string }) => s.name === 'vulndb.sync');
    expect(vulndb).toMatchObject({ enabled: true, intervalSeconds: 3600, lastJobId: jobs[0].id, lastJobStatus: 'queued', lastClaimedBy: expect.stringMatching(/^node-\d$/) });
    expect(before.body.schedules.find((s: { name: string }) => s.name === 'nvd.sync')).toEqual({ name: 'nvd.sync', enabled: false });

    // The run; the next is due an interval after it ended.
    await new WorkerPool(server.ctx, { handlers: [scheduled] }).drain();
    const after = (await server.request('GET', '/api/v2/schedules')).body.schedules.find((s: { name: string }) => s.name === 'vulndb.sync');
    expect(after).toMatchObject({ lastJobStatus: 'succeeded', lastOutcome: 'succeeded' });
    expect(Date.parse(after.nextRunAt) - Date.parse(after.lastFinishedAt)).toBe(3_600_000);
    // Not due yet: nothing more is queued.
    await new Scheduler(server.ctx, SCHEDULED_WORK, 'node-x').tick();
    expect(await scheduledJobs()).toHaveLength(1);
  });

  it('is shown to those who may configure the system only', async () => {
    const dev = await userWithRole(server, 'dev', 'Developer');
    expect((await server.request('GET', '/api/v2/schedules', { auth: dev })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/schedules', { auth: null })).status).toBe(401);
  });
});
