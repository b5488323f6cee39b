import { versioningFor } from '../ecosystems/versioning/index.js';
import { advisoryIndexFor } from '../intel/advisories/index-cache.js';
import { ecosystemKey, normalizePackageName, normalizeVersion } from '../intel/advisories/names.js';
import type { OsvAffected } from '../intel/advisories/osv.js';
import type { AppContext } from '../services/context.js';
import type { AdvisoryFinding, AdvisoryMatcher, AdvisoryQuery } from './vulnerabilities.js';

/**
 * The advisory matcher evaluations use: the in-memory index of imported OSV data
 * (intel/advisories), shared by every evaluation until the data changes, plus the first fixed
 * version of each finding, read for the whole batch in a few queries.
 */
export async function advisoryMatcherFor(ctx: AppContext): Promise<AdvisoryMatcher> {
  const index = await advisoryIndexFor(ctx);
  return {
    async match(queries) {
      const found = index.match(queries);
      const ids = new Set<string>();
      for (const list of found) for (const f of list) for (const id of f.matchedBy) ids.add(id);
      const affected = ids.size ? await affectedOf(ctx, [...ids]) : new Map<string, OsvAffected[]>();
      return found.map((list, i) =>
        list.map((f): AdvisoryFinding => {
          const fixVersion = firstFix(queries[i], f.matchedBy, affected);
          return fixVersion ? { vulnerability: f.vulnerability, fixVersion } : { vulnerability: f.vulnerability };
        }),
      );
    },
  };
}

const packageKey = (advisoryId: string, ecosystem: string, name: string) =>
  `${advisoryId}|${ecosystemKey(ecosystem)}|${normalizePackageName(ecosystem, name)}`;

/** The affected entries of some records, by record and package. */
async function affectedOf(ctx: AppContext, ids: string[]): Promise<Map<string, OsvAffected[]>> {
  const out = new Map<string, OsvAffected[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.store.db
      .selectFrom('advisory_packages')
      .select(['advisory_id', 'ecosystem', 'name', 'affected'])
      .where('advisory_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const key = packageKey(row.advisory_id, row.ecosystem, row.name);
      const list = out.get(key) ?? [];
      list.push(JSON.parse(row.affected) as OsvAffected);
      out.set(key, list);
    }
  }
  return out;
}

/**
 * The lowest `fixed` version above the component's version among the matched records' ranges for
 * its package: the first release that fixes the vulnerability. Undefined when none is known.
 */
export function firstFix(query: AdvisoryQuery, advisoryIds: readonly string[], affected: Map<string, OsvAffected[]>): string | undefined {
  if (!query.version) return undefined;
  const scheme = versioningFor(query.ecosystem);
  if (!scheme) return undefined;
  const version = normalizeVersion(query.ecosystem, query.version);
  let best: string | undefined;
  for (const id of advisoryIds) {
    for (const a of affected.get(packageKey(id, query.ecosystem, query.name)) ?? []) {
      for (const range of a.ranges ?? []) {
        if (range.type === 'GIT') continue;
        for (const event of range.events) {
          const fixed = event.fixed;
          if (!fixed || scheme.compare(fixed, version) <= 0) continue;
          if (best === undefined || scheme.compare(fixed, best) < 0) best = fixed;
        }
      }
    }
  }
  return best;
}
