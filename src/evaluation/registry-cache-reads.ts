import type { AppContext } from '../core/context.js';
import type { RegistryCacheTable as RegistryCacheRow } from '../store/tables/registries.js';

/**
 * Bulk reads of the registry cache for evaluations (intel/registries/cache.ts writes it): which
 * answers it holds, fresh or not, and their documents, 500 names of a kind per query. Keys are
 * `kind \0 name` (`pypi\0requests`, `pypi-version\0requests@2.31.0`).
 */

export const cacheKey = (kind: string, name: string) => `${kind}\u0000${name}`;

/** Which of the keys the cache holds, fresh or expired, and when each was fetched: documents left in the database. */
export async function cachedAnswers(ctx: AppContext, keys: readonly string[]): Promise<Map<string, { fresh: boolean; fetchedAt: string }>> {
  const now = ctx.now().toISOString();
  const out = new Map<string, { fresh: boolean; fetchedAt: string }>();
  for (const [key, row] of await cacheRows(ctx, keys, ['fetched_at', 'expires_at'])) out.set(key, { fresh: row.expires_at > now, fetchedAt: row.fetched_at });
  return out;
}

/** Columns of the cache rows of some keys. */
export async function cacheRows<C extends 'document' | 'fetched_at' | 'expires_at'>(
  ctx: AppContext,
  keys: readonly string[],
  columns: readonly C[],
): Promise<Map<string, Pick<RegistryCacheRow, C>>> {
  const byKind = new Map<string, Set<string>>();
  for (const key of keys) {
    const at = key.indexOf('\u0000');
    if (at < 0) continue;
    const kind = key.slice(0, at);
    const names = byKind.get(kind) ?? new Set();
    names.add(key.slice(at + 1));
    byKind.set(kind, names);
  }
  const out = new Map<string, Pick<RegistryCacheRow, C>>();
  for (const [kind, set] of byKind) {
    const names = [...set];
    for (let i = 0; i < names.length; i += 500) {
      const rows = await ctx.store.db
        .selectFrom('registry_cache')
        .select(['name', ...columns])
        .where('ecosystem', '=', kind)
        .where('name', 'in', names.slice(i, i + 500))
        .execute();
      for (const row of rows) out.set(cacheKey(kind, row.name as string), row as unknown as Pick<RegistryCacheRow, C>);
    }
  }
  return out;
}

/**
 * A cached document's answer in the layout intel/registries/cache.ts writes (`{v: 1, found,
 * value}`): the value, `not found`, or `unusable` for another layout (then it counts as not
 * cached: fetched again, never read wrongly).
 */
export function cachedDocument<T>(document: string, usable: (value: T) => boolean): T | 'not found' | 'unusable' {
  let doc: { v?: number; found?: boolean; value?: T };
  try {
    doc = JSON.parse(document);
  } catch {
    return 'unusable';
  }
  if (doc.v !== 1) return 'unusable';
  if (!doc.found) return 'not found';
  return doc.value !== undefined && usable(doc.value) ? doc.value : 'unusable';
}

/** A bounded memo: past the limit it starts over. */
export class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
  }
}
