import { pino, type Logger } from 'pino';
import type { Config } from './config/config.js';
import { configureRegistryCircuits } from './intel/registries/circuit-breaker.js';
import type { TollgateApp } from './http/types.js';
import type { WorkerPool } from './jobs/pool.js';
import { bootstrap } from './services/access/bootstrap.js';
import type { AppContext } from './core/context.js';
import { type OpenOptions, openStore } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { limitHeapGrowth } from './runtime/heap.js';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    // Credentials never reach the log, whatever a future serializer adds.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.passCode'],
      censor: '***',
    },
  });
}

/** Opens and migrates the database and makes sure the built-in records exist. */
export async function openContext(config: Config, log: Logger, options: OpenOptions = {}): Promise<AppContext> {
  const store = await openStore(config.databaseUrl, options);
  const ctx: AppContext = { store, config, log, now: () => new Date() };
  // Registry hosts are the process's: their circuit breakers take the back-off and logger from here.
  configureRegistryCircuits({ downMs: config.registries.downSeconds * 1000, downMaxMs: config.registries.downMaxSeconds * 1000 }, log);
  try {
    const applied = await migrateToLatest(store);
    if (applied.length) log.info({ migrations: applied }, `applied ${applied.length} database migration(s)`);
    await bootstrap(ctx);
  } catch (err) {
    await store.close();
    throw err;
  }
  return ctx;
}

export interface RunningServer {
  app: TollgateApp;
  ctx: AppContext;
  /** Runs queued jobs (src/jobs/) while the server is up. */
  jobs: WorkerPool;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server and the job workers; `close` stops accepting, refuses new requests on open
 * connections (503), gives in-flight requests and running jobs `shutdownGraceSeconds` (unfinished
 * jobs go back in the queue), then closes the database.
 */
export async function startServer(config: Config, log = createLogger(config)): Promise<RunningServer> {
  // The HTTP server, the job workers and the schedules load here, not with openContext, which the
  // other CLI commands use (docs/ARCHITECTURE.md, Command line).
  const [{ buildApp }, { loadJobHandlers }, { WorkerPool }, { Scheduler }, { SCHEDULED_WORK }] = await Promise.all([
    import('./http/app.js'),
    import('./jobs/handlers.js'),
    import('./jobs/pool.js'),
    import('./jobs/scheduler.js'),
    import('./jobs/scheduled-work.js'),
  ]);
  limitHeapGrowth();
  const ctx = await openContext(config, log);
  const app = await buildApp(ctx);
  const jobs = new WorkerPool(ctx, { handlers: await loadJobHandlers() });
  // Periodic work is queued through a schedule every node on the database shares: one run at a time.
  const scheduler = new Scheduler(ctx, SCHEDULED_WORK, jobs.workerId);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await scheduler.stop();
    // In-flight requests and running jobs get the grace period; idle connections close at once, and
    // each busy one as soon as its answer is out (app.drain: `Connection: close`); what is still open
    // after the grace period is closed, and unfinished jobs go back in the queue (jobs.stop).
    const graceMs = config.shutdownGraceSeconds * 1000;
    app.drain();
    const reap = setInterval(() => app.server.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      log.warn(`requests still in flight after ${config.shutdownGraceSeconds}s: closing their connections`);
      app.server.closeAllConnections();
    }, graceMs);
    try {
      await Promise.all([app.close(), jobs.stop(graceMs)]);
    } finally {
      clearInterval(reap);
      clearTimeout(force);
    }
    await ctx.store.close();
  };
  try {
    await jobs.start();
    await scheduler.start();
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, ctx, jobs, url: `http://127.0.0.1:${port}`, close };
}
