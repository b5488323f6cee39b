import { Command } from 'commander';

export function serveCommand(): Command {
  return new Command('serve')
    .description('start the HTTP server (port 8070, SQLite under ./data unless configured otherwise)')
    .option('-p, --port <port>', 'port to listen on')
    .action(async (options: { port?: string }, command: Command) => {
      // Loaded when the command runs, not when the program starts (docs/ARCHITECTURE.md, Command line).
      const { loadConfig } = await import('../config/config.js');
      const { createLogger, startServer } = await import('../server.js');
      const globals = command.optsWithGlobals() as { config?: string };
      const config = loadConfig({ file: globals.config, overrides: options.port ? { port: options.port } : {} });
      const log = createLogger(config);
      const server = await startServer(config, log);
      log.info(`Tollgate listening on ${config.baseUrl} (port ${config.port}, database ${server.ctx.store.dialect})`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info(`${signal}: finishing in-flight requests, then closing the database`);
        const timer = setTimeout(() => {
          log.error(`still busy after ${config.shutdownTimeoutSeconds}s: exiting anyway`);
          process.exit(1);
        }, config.shutdownTimeoutSeconds * 1000);
        timer.unref();
        server.close().then(
          () => log.info('stopped'),
          (err) => {
            log.error({ err }, 'error while stopping');
            process.exitCode = 1;
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
