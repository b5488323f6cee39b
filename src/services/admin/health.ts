import type { AppContext } from '../../core/context.js';
import type { Store } from '../../store/db.js';
import { migratorFor } from '../../store/migrate.js';

/** Whether the database answers a query (the health check's). */
export async function databaseAnswers(ctx: AppContext): Promise<boolean> {
  try {
    await ctx.store.db.selectFrom('organizations').select('id').limit(1).execute();
    return true;
  } catch {
    return false;
  }
}

const current = new WeakSet<Store>();

/**
 * The migrations this server's code has that the database lacks (none once it is current). Once
 * current, the answer is remembered: migrations are only ever added, and a newer node that applies
 * its own leaves this one's applied.
 */
export async function pendingMigrations(ctx: AppContext): Promise<string[]> {
  if (current.has(ctx.store)) return [];
  const migrations = await (await migratorFor(ctx.store)).getMigrations();
  const pending = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
  if (!pending.length) current.add(ctx.store);
  return pending;
}
