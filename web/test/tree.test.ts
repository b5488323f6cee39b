import { describe, expect, it } from 'vitest';
import { buildTree } from '../src/lib/tree';

const orgs = [
  { id: 'ROOT', name: 'Root Organization', parentOrganizationId: null },
  { id: 'b', name: 'Beta', parentOrganizationId: 'ROOT' },
  { id: 'a', name: 'Alpha', parentOrganizationId: 'ROOT' },
  { id: 'a1', name: 'Alpha One', parentOrganizationId: 'a' },
];
const apps = [
  { id: '1', publicId: 'shop', name: 'Shop', organizationId: 'a1' },
  { id: '2', publicId: 'api', name: 'API', organizationId: 'b' },
  { id: '3', publicId: 'admin', name: 'Admin', organizationId: 'b' },
];

describe('the organization tree', () => {
  it('nests organizations, sorts names and counts applications below each', () => {
    const [root] = buildTree(orgs, apps);
    expect(root.total).toBe(3);
    expect(root.children.map((c) => [c.organization.name, c.total])).toEqual([
      ['Alpha', 1],
      ['Beta', 2],
    ]);
    expect(root.children[1].applications.map((a) => a.name)).toEqual(['Admin', 'API']);
  });

  it('keeps only matching applications and the organizations above them', () => {
    const [root] = buildTree(orgs, apps, 'SHO');
    expect(root.children.map((c) => c.organization.name)).toEqual(['Alpha']);
    expect(root.children[0].children[0].applications.map((a) => a.publicId)).toEqual(['shop']);
    expect(buildTree(orgs, apps, 'nothing')).toEqual([]);
  });
});
