/**
 * One advisory index per open store, built on first use and rebuilt when an import has changed the
 * data since — in this process (imports invalidate it) or another one (the data generation moved).
 * NVD's data is part of it (the third tier of a finding's score), so an NVD import or sync moves
 * the generation too.
 */
import type { AppContext } from '../../core/context.js';
import type { Store } from '../../store/db.js';
import type { NvdSeverity } from '../severity/resolve-score.js';
import { nvdGeneration, nvdSeveritiesForAliases } from '../nvd/store.js';
import { AdvisoryIndex } from './advisory-index.js';
import { dataGeneration } from './advisory-store.js';

interface Cached {
  generation: string;
  index: Promise<AdvisoryIndex>;
}

const cache = new WeakMap<Store, Cached>();

/** The current advisory index of the context's store. */
export async function advisoryIndexFor(ctx: Pick<AppContext, 'store'>): Promise<AdvisoryIndex> {
  const [osv, nvd] = await Promise.all([dataGeneration(ctx.store.db), nvdGeneration(ctx.store.db)]);
  const generation = `${osv}|${nvd}`;
  const cached = cache.get(ctx.store);
  if (cached && cached.generation === generation) return cached.index;
  const index = loadIndex(ctx.store);
  cache.set(ctx.store, { generation, index });
  index.catch(() => {
    if (cache.get(ctx.store)?.index === index) cache.delete(ctx.store);
  });
  return index;
}

async function loadIndex(store: Store): Promise<AdvisoryIndex> {
  return AdvisoryIndex.load(store, { nvd: await nvdSeverities(store) });
}

/**
 * NVD's CVSS vectors of the CVEs the advisories name, by CVE id (for the index build only: the
 * catalog keeps what its groups need). Undefined while no NVD data is imported.
 */
async function nvdSeverities(store: Store): Promise<Map<string, NvdSeverity[]> | undefined> {
  let out: Map<string, NvdSeverity[]> | undefined;
  for await (const page of nvdSeveritiesForAliases(store.db)) {
    for (const cve of page) {
      if (!cve.severity.length) continue;
      out ??= new Map();
      out.set(
        cve.id,
        cve.severity.map((s) => ({ type: s.type, score: s.score, cve: cve.id, source: s.source, primary: s.primary })),
      );
    }
  }
  return out;
}

/** Drops the cached index, so that the next look-up rebuilds it. */
export function invalidateAdvisoryIndex(ctx: Pick<AppContext, 'store'>): void {
  cache.delete(ctx.store);
}
