import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinateHash, fromPackageUrl } from '../../src/ecosystems/identity.js';
import { newId } from '../../src/core/ids.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createOrganization } from '../helpers/owners.js';

/**
 * Component labels through policy export and import, end to end: a policy with Label conditions is
 * exported with the labels it names (and its owner's), imported into another organization (labels
 * matched by name or created there, condition values remapped), and evaluated there against the
 * labels applied to components.
 */
let server: TestServer;
let parent: string;
let source: string;
let target: string;
let elsewhere: string;
let legacy: string;
let deprecated: string;
let internal: string;
let unused: string;
let READER: [string, string];

const OLD = 'pkg:npm/request@2.88.2';
const FINE = 'pkg:npm/left-pad@1.3.0';
const SBOM = cycloneDxJson([
  { name: 'request', version: '2.88.2', purl: OLD, license: 'Apache-2.0' },
  { name: 'left-pad', version: '1.3.0', purl: FINE, license: 'MIT' },
]);
const POLICY = 'No labelled components';

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

async function defineLabel(ownerId: string, label: string, color = 'dark-red'): Promise<string> {
  const res = await server.request('POST', `/api/v2/labels/organization/${ownerId}`, { body: { label, description: `${label} things`, color } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

const labelPolicy = (deprecatedId: string, legacyId: string) => ({
  name: POLICY,
  threatLevel: 6,
  actions: { build: 'fail' },
  constraints: [
    { name: 'Deprecated', operator: 'AND', conditions: [{ conditionTypeId: 'Label', operator: 'is', value: deprecatedId }] },
    { name: 'Legacy', operator: 'AND', conditions: [{ conditionTypeId: 'Label', operator: 'is', value: legacyId }] },
  ],
});

const labelCount = async () => Number((await server.ctx.store.db.selectFrom('component_labels').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const exportOf = async (orgId: string, query = '') => {
  const res = await server.request('GET', `/api/v2/policy/organization/${orgId}/export${query}`);
  expect(res.status, res.text).toBe(200);
  expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, res.body);
  return res.body;
};

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  parent = await createOrg('Parent');
  source = await createOrg('Source', parent);
  target = await createOrg('Target');
  elsewhere = await createOrg('Elsewhere');
  legacy = await defineLabel(parent, 'Legacy');
  internal = await defineLabel(parent, 'Internal', 'dark-green');
  deprecated = await defineLabel(source, 'Deprecated');
  unused = await defineLabel(source, 'Unused', 'light-blue');
  const created = await server.request('POST', `/api/v2/policies/organization/${source}`, { body: labelPolicy(deprecated, legacy) });
  expect(created.status, created.text).toBe(200);
  READER = await userWithRole(server, 'reader', 'Developer', 'organization', target);
});
afterAll(async () => {
  await server?.close();
});

describe('policy export and import with component labels', () => {
  it('exports the owner’s labels and the inherited ones its policies use; includeInherited adds every label above', async () => {
    const own = await exportOf(source);
    expect(own.labels.map((l: { label: string }) => l.label).sort()).toEqual(['Deprecated', 'Legacy', 'Unused']);
    expect(own.labels.find((l: { id: string }) => l.id === legacy)).toEqual({
      id: legacy,
      label: 'Legacy',
      labelLowercase: 'legacy',
      description: 'Legacy things',
      color: 'dark-red',
      ownerId: parent,
    });
    const conditionValues = own.policies[0].constraints.flatMap((c: { conditions: Array<{ value: string }> }) => c.conditions.map((d) => d.value));
    expect(conditionValues).toEqual([deprecated, legacy]);

    const inherited = await exportOf(source, '?includeInherited=true');
    expect(inherited.labels.map((l: { id: string }) => l.id).sort()).toEqual([deprecated, internal, legacy, unused].sort());
  });

  it('imports into another organization: labels created there, conditions pointing at them, the policy evaluates', async () => {
    const exported = await exportOf(source);
    const before = await labelCount();
    const res = await server.request('POST', `/api/v2/policy/organization/${target}/import`, { body: exported });
    expect(res.status, res.text).toBe(200);
    expect(res.body.labels).toEqual({ created: expect.arrayContaining(['Deprecated', 'Legacy', 'Unused']), reused: [] });
    expect(await labelCount()).toBe(before + 3);

    const labels = await server.request('GET', `/api/v2/labels/organization/${target}`);
    expect(labels.status).toBe(200);
    const byName = new Map<string, { id: string; color: string; ownerId: string }>(labels.body.map((l: { label: string }) => [l.label, l]));
    expect(byName.get('Unused')).toMatchObject({ color: 'light-blue', ownerId: target });
    const again = await exportOf(target);
    const values = again.policies[0].constraints.flatMap((c: { conditions: Array<{ value: string }> }) => c.conditions.map((d) => d.value));
    expect(values).toEqual([byName.get('Deprecated')!.id, byName.get('Legacy')!.id]);
    for (const id of values) expect([deprecated, legacy]).not.toContain(id);

    // An application of the target: a component labelled Legacy (the imported label) violates the
    // imported policy; the other component does not.
    const app = await server.request('POST', '/api/v2/applications', { body: { publicId: 'labelled-app', name: 'Labelled', organizationId: target } });
    expect(app.status, app.text).toBe(200);
    const hash = coordinateHash(fromPackageUrl(OLD));
    const applied = await server.request('POST', `/api/v2/components/${hash}/labels/Legacy/applications/${app.body.id}`);
    expect(applied.status, applied.text).toBe(204);
    const { result, scanId } = await scanAndWait(server, app.body.id, SBOM, { stage: 'build' });
    expect(result.policyAction).toBe('Failure');
    const policy = await server.request('GET', `/api/v2/applications/labelled-app/reports/${scanId}/policy`);
    expect(policy.status).toBe(200);
    const violating = policy.body.components
      .filter((c: { violations: Array<{ policyName: string }> }) => c.violations.some((v) => v.policyName === POLICY))
      .map((c: { packageUrl: string }) => c.packageUrl);
    expect(violating).toEqual([OLD]);
  });

  it('reuses a label of that name the importing owner already sees, its own before an inherited one', async () => {
    const child = await createOrg('Target Child', target);
    const ownLegacy = await defineLabel(child, 'LEGACY');
    const exported = await exportOf(source);
    const before = await labelCount();
    const res = await server.request('POST', `/api/v2/policy/organization/${child}/import`, { body: exported });
    expect(res.status, res.text).toBe(200);
    expect(res.body.labels).toEqual({ created: [], reused: expect.arrayContaining(['Deprecated', 'LEGACY', 'Unused']) });
    expect(await labelCount()).toBe(before);
    const targetLabels = (await server.request('GET', `/api/v2/labels/organization/${target}`)).body;
    const values = (await exportOf(child)).policies[0].constraints.flatMap((c: { conditions: Array<{ value: string }> }) => c.conditions.map((d) => d.value));
    expect(values).toEqual([targetLabels.find((l: { label: string }) => l.label === 'Deprecated').id, ownLegacy]);
  });

  it('imports an inherited export with two labels of one name as one label', async () => {
    const exported = await exportOf(source, '?includeInherited=true');
    exported.policies = exported.policies.filter((p: { name: string }) => p.name === POLICY);
    exported.labels.push({ ...exported.labels.find((l: { id: string }) => l.id === deprecated), id: newId(), label: 'DEPRECATED', ownerId: parent });
    const fresh = await createOrg('Fresh');
    const res = await server.request('POST', `/api/v2/policy/organization/${fresh}/import`, { body: exported });
    expect(res.status, res.text).toBe(200);
    const labels = (await server.request('GET', `/api/v2/labels/organization/${fresh}`)).body.map((l: { label: string }) => l.label);
    expect(labels.sort()).toEqual(['Deprecated', 'Internal', 'Legacy', 'Unused']);
  });

  it('refuses a Label condition naming a label neither in the import nor visible, creating no label', async () => {
    const exported = await exportOf(source);
    exported.labels = exported.labels.filter((l: { id: string }) => l.id !== legacy);
    const before = await labelCount();
    const res = await server.request('POST', `/api/v2/policy/organization/${elsewhere}/import`, { body: exported });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`"${legacy}" is not a label of this owner or above it`);
    expect(await labelCount()).toBe(before);

    const nameless = await exportOf(source);
    nameless.labels[0].label = '  ';
    const bad = await server.request('POST', `/api/v2/policy/organization/${elsewhere}/import`, { body: nameless });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Every label needs an id and a label');
    expect(await labelCount()).toBe(before);
  });

  it('needs credentials, READ to export and WRITE to import', async () => {
    const exported = await exportOf(source);
    expect((await server.request('GET', `/api/v2/policy/organization/${source}/export`, { auth: null })).status).toBe(401);
    expect((await server.request('GET', `/api/v2/policy/organization/${source}/export`, { auth: READER })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/policy/organization/${target}/export`, { auth: READER })).status).toBe(200);
    expect((await server.request('POST', `/api/v2/policy/organization/${target}/import`, { auth: null, body: exported })).status).toBe(401);
    const before = await labelCount();
    expect((await server.request('POST', `/api/v2/policy/organization/${target}/import`, { auth: READER, body: exported })).status).toBe(403);
    expect(await labelCount()).toBe(before);
  });
});
