/** The application context a command opens from the configuration (`--config`), closed when its work ends. */
import type { Command } from 'commander';
import type { AppContext } from '../core/context.js';

export async function withContext(command: Command, work: (ctx: AppContext) => Promise<void>): Promise<void> {
  // Loaded when a command runs, so that `--help` and the other commands do not load the server.
  const { loadConfig } = await import('../config/config.js');
  const { createLogger, openContext } = await import('../server.js');
  const config = loadConfig({ file: (command.optsWithGlobals() as { config?: string }).config });
  const ctx = await openContext(config, createLogger({ logLevel: 'warn' }));
  try {
    await work(ctx);
  } finally {
    await ctx.store.close();
  }
}
