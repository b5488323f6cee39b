// The server process of portfolio.bench.ts: the built server (dist/, what `npm start` runs), on the
// bench's PostgreSQL schema, so that the figures are the product's and the bench's own work does
// not share its process. Plain JavaScript for that reason. Argument: the database URL.
import { loadConfig } from '../dist/config/config.js';
import { startServer } from '../dist/server.js';

const config = loadConfig({
  file: false,
  env: {},
  overrides: { port: 0, host: '127.0.0.1', databaseUrl: process.argv[2], logLevel: process.env.PORTFOLIO_BENCH_SERVER_LOG ?? 'error', registries: { offline: true } },
});
const server = await startServer(config);
process.send({ type: 'ready', url: server.url });
process.on('message', async (m) => {
  if (m.type === 'stop') {
    await server.close();
    process.exit(0);
  }
});
