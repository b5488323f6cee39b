import { Command } from 'commander';

export function migrateCommand(): Command {
  return new Command('migrate').description('create or update the database schema, then exit').action(async (_o, command: Command) => {
    const { loadConfig } = await import('../config/config.js');
    const { createLogger, openContext } = await import('../server.js');
    const config = loadConfig({ file: (command.optsWithGlobals() as { config?: string }).config });
    const ctx = await openContext(config, createLogger(config));
    await ctx.store.close();
    console.log(`database is up to date (${ctx.store.dialect})`);
  });
}
