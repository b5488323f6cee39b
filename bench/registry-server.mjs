// The server process of registry-facts.bench.ts: the built server (dist/, what `npm start` runs),
// configured with the server's defaults plus the overrides the bench names, answering the bench
// over IPC. Plain JavaScript, so that nothing but the product runs in it.
// Arguments: the data dir, the configuration overrides as JSON.
import { loadConfig } from '../dist/config/config.js';
import { startServer } from '../dist/server.js';

const [dataDir, overrides] = process.argv.slice(2);
const config = loadConfig({
  file: false,
  env: {},
  overrides: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn', ...JSON.parse(overrides ?? '{}') },
});
const server = await startServer(config);
const send = (m) => process.send(m);
send({ type: 'ready', url: server.url });

let cpu = process.cpuUsage();
process.on('message', async (m) => {
  try {
    if (m.type === 'reset') {
      cpu = process.cpuUsage();
      send({ type: 'ok' });
    } else if (m.type === 'cpu') {
      const used = process.cpuUsage(cpu);
      send({ type: 'cpu', ms: (used.user + used.system) / 1000 });
    } else if (m.type === 'job') {
      const row = await server.ctx.store.db
        .selectFrom('evaluation_requests as r')
        .innerJoin('jobs as j', 'j.id', 'r.job_id')
        .select(['j.created_at', 'j.started_at', 'j.finished_at'])
        .where('r.id', '=', m.requestId)
        .executeTakeFirstOrThrow();
      send({ type: 'job', ...row });
    } else if (m.type === 'jobs') {
      // The other jobs (background registry fetches): how many, in which state.
      const rows = await server.ctx.store.db.selectFrom('jobs').select(['type', 'status', 'result']).where('type', '!=', 'evaluation').execute();
      send({ type: 'jobs', jobs: rows });
    } else if (m.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  } catch (err) {
    send({ type: 'error', message: err?.stack ?? String(err) });
  }
});
