import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Store } from '../store/db.js';

/** What every service receives explicitly: no hidden singletons. */
export interface AppContext {
  store: Store;
  config: Config;
  log: Logger;
  /** The current time; tests replace it. */
  now: () => Date;
}

export function nowIso(ctx: Pick<AppContext, 'now'>): string {
  return ctx.now().toISOString();
}
