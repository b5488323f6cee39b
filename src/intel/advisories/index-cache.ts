/**
 * One advisory index per open store, built on first use and rebuilt when an import has changed the
 * data since — in this process (imports invalidate it) or another one (the data generation moved).
 */
import type { AppContext } from '../../services/context.js';
import type { Store } from '../../store/db.js';
import { AdvisoryIndex } from './advisory-index.js';
import { dataGeneration } from './advisory-store.js';

interface Cached {
  generation: string;
  index: Promise<AdvisoryIndex>;
}

const cache = new WeakMap<Store, Cached>();

/** The current advisory index of the context's store. */
export async function advisoryIndexFor(ctx: Pick<AppContext, 'store'>): Promise<AdvisoryIndex> {
  const generation = await dataGeneration(ctx.store.db);
  const cached = cache.get(ctx.store);
  if (cached && cached.generation === generation) return cached.index;
  const index = AdvisoryIndex.load(ctx.store);
  cache.set(ctx.store, { generation, index });
  index.catch(() => {
    if (cache.get(ctx.store)?.index === index) cache.delete(ctx.store);
  });
  return index;
}

/** Drops the cached index, so that the next look-up rebuilds it. */
export function invalidateAdvisoryIndex(ctx: Pick<AppContext, 'store'>): void {
  cache.delete(ctx.store);
}
