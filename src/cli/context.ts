/** The application context a command opens from the configuration (`--config`), closed when its work ends. */
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { createLogger, openContext } from '../server.js';
import type { AppContext } from '../core/context.js';

export async function withContext(command: Command, work: (ctx: AppContext) => Promise<void>): Promise<void> {
  const config = loadConfig({ file: (command.optsWithGlobals() as { config?: string }).config });
  const ctx = await openContext(config, createLogger({ logLevel: 'warn' }));
  try {
    await work(ctx);
  } finally {
    await ctx.store.close();
  }
}
