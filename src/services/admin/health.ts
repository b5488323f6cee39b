import type { AppContext } from '../../core/context.js';

/** Whether the database answers a query (the health check's). */
export async function databaseAnswers(ctx: AppContext): Promise<boolean> {
  try {
    await ctx.store.db.selectFrom('organizations').select('id').limit(1).execute();
    return true;
  } catch {
    return false;
  }
}
