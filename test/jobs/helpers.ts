import { sql } from 'kysely';
import type { AppContext } from '../../src/core/context.js';
import { type Store, openStore } from '../../src/store/db.js';
import type { TestServer } from '../helpers/server.js';

/** A clock the test moves by hand: pools built on it see leases expire without waiting. */
export function testClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * A second connection to the test server's database (same SQLite file, or same PostgreSQL schema),
 * as a second server process would have: two pools on two stores really race.
 */
export async function secondStore(server: TestServer): Promise<Store> {
  const { store, config } = server.ctx;
  if (store.dialect === 'sqlite') return openStore(config.databaseUrl);
  const schema = (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(store.db)).rows[0].name;
  return openStore(config.databaseUrl, { schema });
}

/** A context like the server's, with another store and/or clock. */
export function contextWith(ctx: AppContext, changes: Partial<AppContext>): AppContext {
  return { ...ctx, ...changes };
}

/** A promise the test resolves when it wants a handler to go on. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves when the signal aborts: a handler that only ends when its worker gives up on it. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
