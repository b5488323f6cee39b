import type { Application, Organization } from '../api/types';

/** An organization with what is under it, for the tree. */
export interface OrgNode {
  organization: Organization;
  children: OrgNode[];
  applications: Application[];
  /** Applications at or below it. */
  total: number;
}

/**
 * The organization tree from the flat listings, names sorted; `filter` keeps the applications whose
 * name or public id contains it (case-insensitive) and the organizations above them. Organizations
 * whose parent the user cannot see are shown at the top.
 */
export function buildTree(organizations: readonly Organization[], applications: readonly Application[], filter = ''): OrgNode[] {
  const needle = filter.trim().toLowerCase();
  const nodes = new Map<string, OrgNode>();
  for (const organization of organizations) nodes.set(organization.id, { organization, children: [], applications: [], total: 0 });
  for (const app of applications) {
    if (needle && !app.name.toLowerCase().includes(needle) && !app.publicId.toLowerCase().includes(needle)) continue;
    nodes.get(app.organizationId)?.applications.push(app);
  }
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.organization.parentOrganizationId ? nodes.get(node.organization.parentOrganizationId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const finish = (node: OrgNode): boolean => {
    node.children = node.children.filter(finish).sort((a, b) => byName(a.organization, b.organization));
    node.applications.sort(byName);
    node.total = node.applications.length + node.children.reduce((n, c) => n + c.total, 0);
    return !needle || node.total > 0;
  };
  return roots.filter(finish).sort((a, b) => byName(a.organization, b.organization));
}
