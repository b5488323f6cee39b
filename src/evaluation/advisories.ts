import { versioningFor } from '../ecosystems/versioning/index.js';
import { advisoryIndexFor } from '../intel/advisories/index-cache.js';
import { exploitationFor } from '../intel/exploitation/lookup.js';
import { ecosystemKey, normalizePackageName, normalizeVersion } from '../intel/advisories/names.js';
import type { OsvAffected } from '../intel/advisories/osv.js';
import type { AppContext } from '../core/context.js';
import type { AdvisoryFinding, AdvisoryMatcher, AdvisoryQuery } from './vulnerabilities.js';

/**
 * The fixed versions of the records an index has matched so far, by record and package: read once
 * per index (it is rebuilt, and this cache dropped with it, when the data changes), so that the
 * next SBOM naming the same packages costs no query and no JSON parsing.
 */
interface FixCache {
  /** The exploitation data the findings carry: when it changes, they are made anew. */
  exploitation: string;
  fetched: Set<string>;
  /** The fixed versions of each record's non-GIT ranges for a package: all firstFix needs of them. */
  fixed: Map<string, readonly string[]>;
  /** Finished findings by package and version: the same versions come back scan after scan. */
  findings: Map<string, readonly AdvisoryFinding[]>;
}

/**
 * Affected package versions whose findings are kept; past this the cache starts over. With a
 * version's findings go what evaluations attach to them (security issues, the policy engine's
 * explanations): about 10 KiB per affected version in the evaluation bench, so at most ~150 MiB.
 */
const MAX_CACHED_VERSIONS = 15_000;
const fixCaches = new WeakMap<object, FixCache>();

/**
 * The advisory matcher evaluations use: the in-memory index of imported OSV data
 * (intel/advisories), shared by every evaluation until the data changes, plus the first fixed
 * version of each finding, read for the whole batch in a few queries.
 */
export async function advisoryMatcherFor(ctx: AppContext): Promise<AdvisoryMatcher> {
  const index = await advisoryIndexFor(ctx);
  let cache = fixCaches.get(index);
  if (!cache) {
    cache = { exploitation: '', fetched: new Set(), fixed: new Map(), findings: new Map() };
    fixCaches.set(index, cache);
  }
  const fixes = cache;
  return {
    async match(queries) {
      const exploitation = await exploitationFor(ctx);
      if (fixes.exploitation !== exploitation.version) {
        fixes.findings.clear();
        fixes.exploitation = exploitation.version;
      }
      const found = index.match(queries);
      const missing = new Set<string>();
      for (const list of found) for (const f of list) for (const id of f.matchedBy) if (!fixes.fetched.has(id)) missing.add(id);
      if (missing.size) await readFixes(ctx, [...missing], fixes);
      const fixed = fixes.fixed;
      if (fixes.findings.size > MAX_CACHED_VERSIONS) fixes.findings.clear();
      return found.map((list, i) => {
        if (!list.length) return list;
        const q = queries[i];
        const key = `${ecosystemKey(q.ecosystem)}|${normalizePackageName(q.ecosystem, q.name)}|${q.version ?? ''}`;
        let findings = fixes.findings.get(key);
        if (!findings) {
          findings = list.map(
            (f): AdvisoryFinding => ({
              vulnerability: f.vulnerability,
              matchedBy: f.matchedBy,
              fixVersion: firstFix(q, f.matchedBy, fixed),
              exploitation: exploitation.of([f.vulnerability.id, ...f.vulnerability.aliases]),
            }),
          );
          fixes.findings.set(key, findings);
        }
        return findings;
      });
    },
  };
}

const packageKey = (advisoryId: string, ecosystem: string, name: string) =>
  `${advisoryId}|${ecosystemKey(ecosystem)}|${normalizePackageName(ecosystem, name)}`;

/** The fixed versions of some records' affected entries (all firstFix reads), by record and package, into the cache. */
async function readFixes(ctx: AppContext, ids: string[], cache: FixCache): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await ctx.store.db
      .selectFrom('advisory_packages')
      .select(['advisory_id', 'ecosystem', 'name', 'affected'])
      .where('advisory_id', 'in', part)
      .execute();
    for (const row of rows) {
      if (cache.fetched.has(row.advisory_id)) continue; // another evaluation read it meanwhile
      const key = packageKey(row.advisory_id, row.ecosystem, row.name);
      const versions = fixedVersionsOf(JSON.parse(row.affected) as OsvAffected);
      const known = cache.fixed.get(key);
      // Kept for the life of the index: a list of strings, not the parsed entries (a few objects per record).
      cache.fixed.set(key, known ? [...known, ...versions] : versions);
    }
    for (const id of part) cache.fetched.add(id);
  }
}

/** The `fixed` versions of an affected entry's ranges (GIT commits are not versions). */
export function fixedVersionsOf(affected: OsvAffected): string[] {
  const out: string[] = [];
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue;
    for (const event of range.events) if (event.fixed !== undefined) out.push(event.fixed);
  }
  return out;
}

/**
 * The lowest `fixed` version above the component's version among the matched records' ranges for
 * its package: the first release that fixes the vulnerability. Undefined when none is known.
 */
export function firstFix(query: AdvisoryQuery, advisoryIds: readonly string[], fixed: Map<string, readonly string[]>): string | undefined {
  if (!query.version) return undefined;
  const scheme = versioningFor(query.ecosystem);
  if (!scheme) return undefined;
  const version = normalizeVersion(query.ecosystem, query.version);
  let best: string | undefined;
  for (const id of advisoryIds) {
    for (const v of fixed.get(packageKey(id, query.ecosystem, query.name)) ?? []) {
      if (scheme.compare(v, version) <= 0) continue;
      if (best === undefined || scheme.compare(v, best) < 0) best = v;
    }
  }
  return best;
}
