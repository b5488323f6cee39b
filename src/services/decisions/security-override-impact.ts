import type { SecurityOverrideTable } from '../../store/tables/component-overrides.js';
import type { Principal } from '../access/access.js';
import type { AppContext } from '../../core/context.js';
import { componentDTO } from '../evaluation/evaluations.js';
import type { Owner } from '../owners/owner.js';
import { sameComponent } from '../../policy/component-overrides.js';
import { getReport, latestReports } from '../reports/reports.js';
import { type SecurityOverrideFilter, type SecurityOverrideView, securityOverrideViews, selectSecurityOverrides } from './security-overrides.js';

/**
 * What security vulnerability overrides are about today: the components of the newest report of
 * each stage of every application the caller may view (at or below the owner asked about, if any)
 * that carry an override's vulnerability — under its reference id or an alias — within the
 * override's scope: an application at or below its owner, and its component (or any component).
 * A nearer override of the same vulnerability does not hide a component from one further up.
 */

/** GET /api/v2/securityOverrides: the overrides the caller may see, with their currently affected components. */
export async function listSecurityOverrides(ctx: AppContext, principal: Principal, filter: SecurityOverrideFilter): Promise<SecurityOverrideView[]> {
  const selected = await selectSecurityOverrides(ctx, principal, filter);
  const affected = await currentlyAffectedComponents(ctx, selected.rows, selected.applications, selected.within);
  return securityOverrideViews(ctx, selected.rows, affected);
}

type ComponentView = ReturnType<typeof componentDTO>;

/**
 * The affected components of each override, by override id. Only the reports of applications in
 * some override's scope are read, each once, one at a time (a report can be large: none is kept
 * after its components are looked at).
 */
export async function currentlyAffectedComponents(
  ctx: AppContext,
  overrides: readonly SecurityOverrideTable[],
  applications: ReadonlySet<string>,
  within: Owner | null,
): Promise<Map<string, ComponentView[]>> {
  const found = new Map<string, Map<string, ComponentView>>();
  if (!overrides.length || !applications.size) return new Map();

  const tree = await organizationTree(ctx);
  const inScope = (owner: { type: string; id: string }, applicationId: string) => {
    if (owner.type === 'application') return owner.id === applicationId;
    const organizationId = tree.applications.get(applicationId);
    return organizationId !== undefined && tree.ancestry(organizationId).has(owner.id);
  };
  const overridesOf = new Map<string, SecurityOverrideTable[]>();
  for (const applicationId of applications) {
    if (within && !inScope(within, applicationId)) continue;
    const applying = overrides.filter((o) => inScope({ type: o.owner_type, id: o.owner_id }, applicationId));
    if (applying.length) overridesOf.set(applicationId, applying);
  }

  for (const report of await latestReports(ctx, [...overridesOf.keys()])) {
    const byReference = new Map<string, SecurityOverrideTable[]>();
    for (const o of overridesOf.get(report.application_id) ?? []) {
      const key = o.reference_id.toLowerCase();
      byReference.set(key, [...(byReference.get(key) ?? []), o]);
    }
    const { data } = await getReport(ctx, report.application_id, report.id);
    for (const component of data.components) {
      for (const issue of component.securityIssues) {
        for (const name of [issue.reference, ...issue.aliases]) {
          for (const o of byReference.get(name.toLowerCase()) ?? []) {
            const everyComponent = o.component_hash === null && o.package_url === null;
            if (!everyComponent && !sameComponent({ hash: o.component_hash, packageUrl: o.package_url }, component)) continue;
            const components = found.get(o.id) ?? new Map<string, ComponentView>();
            found.set(o.id, components);
            if (!components.has(component.hash)) components.set(component.hash, componentDTO(component));
          }
        }
      }
    }
  }

  const out = new Map<string, ComponentView[]>();
  for (const [id, components] of found) {
    out.set(
      id,
      [...components.values()].sort((a, b) => String(a.displayName).localeCompare(String(b.displayName)) || String(a.hash).localeCompare(String(b.hash))),
    );
  }
  return out;
}

/** Each application's organization, and each organization's ancestry (itself included), read once. */
async function organizationTree(ctx: AppContext) {
  const [organizations, applications] = await Promise.all([
    ctx.store.db.selectFrom('organizations').select(['id', 'parent_id']).execute(),
    ctx.store.db.selectFrom('applications').select(['id', 'organization_id']).execute(),
  ]);
  const parent = new Map(organizations.map((o) => [o.id, o.parent_id]));
  const ancestries = new Map<string, Set<string>>();
  const ancestry = (organizationId: string): Set<string> => {
    let chain = ancestries.get(organizationId);
    if (chain) return chain;
    const up = parent.get(organizationId);
    chain = new Set(up ? ancestry(up) : []);
    chain.add(organizationId);
    ancestries.set(organizationId, chain);
    return chain;
  };
  return { applications: new Map(applications.map((a) => [a.id, a.organization_id])), ancestry };
}
