import type { AppContext } from '../../core/context.js';
import type { RegistryCacheTable } from '../../store/tables/registries.js';

/** Bumped when a cached document changes shape: older cached documents are then treated as absent. */
const DOCUMENT_VERSION = 1;

/** A registry's answer as remembered: the document, or that the registry had no such thing. */
export type CachedAnswer<T> = { found: true; value: T } | { found: false };

export interface CacheEntry<T> {
  answer: CachedAnswer<T>;
  fetchedAt: string;
  expiresAt: string;
}

type Row = Pick<RegistryCacheTable, 'document' | 'fetched_at' | 'expires_at'>;

/**
 * The cached answer for `name` of `kind` (an ecosystem, e.g. `npm`, or a finer record, e.g.
 * `maven-version`); undefined when absent or written in an older document format.
 */
export async function readCached<T>(ctx: AppContext, kind: string, name: string): Promise<CacheEntry<T> | undefined> {
  const row: Row | undefined = await ctx.store.db
    .selectFrom('registry_cache')
    .select(['document', 'fetched_at', 'expires_at'])
    .where('ecosystem', '=', kind)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  let stored: { v?: number; found?: boolean; value?: T };
  try {
    stored = JSON.parse(row.document);
  } catch {
    return undefined;
  }
  if (stored.v !== DOCUMENT_VERSION) return undefined;
  const answer: CachedAnswer<T> = stored.found ? { found: true, value: stored.value as T } : { found: false };
  return { answer, fetchedAt: row.fetched_at, expiresAt: row.expires_at };
}

export async function writeCached<T>(ctx: AppContext, kind: string, name: string, entry: CacheEntry<T>): Promise<void> {
  const document = JSON.stringify({ v: DOCUMENT_VERSION, ...entry.answer });
  await ctx.store.db
    .insertInto('registry_cache')
    .values({ ecosystem: kind, name, fetched_at: entry.fetchedAt, expires_at: entry.expiresAt, document })
    .onConflict((oc) =>
      oc.columns(['ecosystem', 'name']).doUpdateSet({ fetched_at: entry.fetchedAt, expires_at: entry.expiresAt, document }),
    )
    .execute();
}

/** Forgets cached answers: all, one kind's (e.g. `npm`), or one package's. Returns how many were removed. */
export async function clearRegistryCache(ctx: AppContext, filter: { ecosystem?: string; name?: string } = {}): Promise<number> {
  let query = ctx.store.db.deleteFrom('registry_cache');
  if (filter.ecosystem) query = query.where('ecosystem', '=', filter.ecosystem);
  if (filter.name) query = query.where('name', '=', filter.name);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
