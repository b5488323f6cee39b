import type { AppContext } from '../../services/context.js';
import type { RegistryCacheTable } from '../../store/tables/registries.js';
import type { PackageMetadata, RegistryEcosystem } from './types.js';

/** Bumped when PackageMetadata changes shape: older cached documents are then treated as absent. */
const DOCUMENT_VERSION = 1;

export type CachedAnswer = { found: true; metadata: PackageMetadata } | { found: false };

export interface CacheEntry {
  answer: CachedAnswer;
  fetchedAt: string;
  expiresAt: string;
}

type Row = Pick<RegistryCacheTable, 'document' | 'fetched_at' | 'expires_at'>;

export async function readCachedPackage(ctx: AppContext, ecosystem: RegistryEcosystem, name: string): Promise<CacheEntry | undefined> {
  const row: Row | undefined = await ctx.store.db
    .selectFrom('registry_cache')
    .select(['document', 'fetched_at', 'expires_at'])
    .where('ecosystem', '=', ecosystem)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) return undefined;
  let stored: { v?: number } & Partial<CachedAnswer>;
  try {
    stored = JSON.parse(row.document);
  } catch {
    return undefined;
  }
  if (stored.v !== DOCUMENT_VERSION) return undefined;
  const answer: CachedAnswer = stored.found ? { found: true, metadata: (stored as { metadata: PackageMetadata }).metadata } : { found: false };
  return { answer, fetchedAt: row.fetched_at, expiresAt: row.expires_at };
}

export async function writeCachedPackage(ctx: AppContext, ecosystem: RegistryEcosystem, name: string, entry: CacheEntry): Promise<void> {
  const document = JSON.stringify({ v: DOCUMENT_VERSION, ...entry.answer });
  await ctx.store.db
    .insertInto('registry_cache')
    .values({ ecosystem, name, fetched_at: entry.fetchedAt, expires_at: entry.expiresAt, document })
    .onConflict((oc) =>
      oc.columns(['ecosystem', 'name']).doUpdateSet({ fetched_at: entry.fetchedAt, expires_at: entry.expiresAt, document }),
    )
    .execute();
}

/** Forgets cached answers: all, one registry's, or one package's. Returns how many were removed. */
export async function clearRegistryCache(ctx: AppContext, filter: { ecosystem?: RegistryEcosystem; name?: string } = {}): Promise<number> {
  let query = ctx.store.db.deleteFrom('registry_cache');
  if (filter.ecosystem) query = query.where('ecosystem', '=', filter.ecosystem);
  if (filter.name) query = query.where('name', '=', filter.name);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
