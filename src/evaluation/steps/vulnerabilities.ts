import { osvPackageOf } from '../../ecosystems/identity.js';
import type { IdentifiedComponent } from '../identify.js';
import type { AdvisoryFinding, AdvisoryMatcher, AdvisoryQuery } from '../vulnerabilities.js';

/** The findings of each component, by its position; undefined where the matcher was not asked (not exact, or no version). */
export type ComponentFindings = ReadonlyArray<readonly AdvisoryFinding[] | undefined>;

/**
 * Step 2: vulnerabilities. One advisory match for the whole batch: each exact component with a
 * version is one query (its OSV ecosystem and package name).
 */
export async function matchVulnerabilities(matcher: AdvisoryMatcher, components: readonly IdentifiedComponent[]): Promise<ComponentFindings> {
  const queries: AdvisoryQuery[] = [];
  const queryOf: number[] = [];
  components.forEach((c, i) => {
    const pkg = c.matchState === 'exact' ? osvPackageOf(c.componentIdentifier) : undefined;
    if (pkg?.version) {
      queryOf[i] = queries.length;
      queries.push(pkg);
    } else queryOf[i] = -1;
  });
  const findings = queries.length ? await matcher.match(queries) : [];
  return queryOf.map((q) => (q >= 0 ? (findings[q] ?? []) : undefined));
}
