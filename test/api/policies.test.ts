import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootThreatGroupId } from '../../src/policy/reference-policies.js';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { newId } from '../../src/core/ids.js';
import { effectivePolicies } from '../../src/services/policies/policies.js';
import { createUser } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
let org: string;
let child: string;
let appId: string;
const DEV: [string, string] = ['pol-dev', 'dev-password-1'];
const OUTSIDER: [string, string] = ['pol-outsider', 'outsider-password-1'];

const critical = {
  name: 'No critical',
  threatLevel: 9,
  actions: { build: 'warn', release: 'fail' },
  constraints: [
    {
      name: 'Critical',
      operator: 'AND',
      conditions: [
        { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '9' },
        { conditionTypeId: 'SecurityVulnerabilityStatus', operator: 'is not', value: 'NOT_APPLICABLE' },
      ],
    },
  ],
};

async function grant(username: string, role: string, ownerType: string, ownerId: string): Promise<void> {
  await server.ctx.store.db
    .insertInto('role_memberships')
    .values({ owner_type: ownerType, owner_id: ownerId, role_id: builtInRoleId(role), member_type: 'USER', member_name: username })
    .execute();
}

async function policyCount(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('policies').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function newOrg(name: string, parentOrganizationId?: string): Promise<string> {
  const res = await server.request('POST', '/api/v2/organizations', { body: { name, ...(parentOrganizationId ? { parentOrganizationId } : {}) } });
  expect(res.status).toBe(200);
  return res.body.id;
}

beforeAll(async () => {
  server = await startTestServer();
  org = await newOrg('Policy Org');
  child = await newOrg('Policy Child', org);
  // No applications API yet: the application is made in the store.
  appId = newId();
  await server.ctx.store.db
    .insertInto('applications')
    .values({ id: appId, public_id: 'pol-app', name: 'Policy App', organization_id: child, contact_user_name: null, created_at: new Date().toISOString() })
    .execute();
  await createUser(server.ctx, { username: DEV[0], password: DEV[1], firstName: 'Dev', lastName: 'Eloper', email: 'dev@example.com' });
  await createUser(server.ctx, { username: OUTSIDER[0], password: OUTSIDER[1], firstName: 'Out', lastName: 'Sider', email: 'out@example.com' });
  await grant(DEV[0], 'Developer', 'organization', org);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v2/policies', () => {
  it('lists the reference policies installed on first start', async () => {
    const res = await server.request('GET', '/api/v2/policies');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/policies', 200, res.body);
    const byName = new Map(res.body.policies.map((p: { name: string }) => [p.name, p]));
    expect(byName.get('Security-Critical')).toMatchObject({ ownerId: 'ROOT_ORGANIZATION_ID', ownerType: 'ORGANIZATION', threatLevel: 10, policyType: 'security' });
    expect(byName.get('License-Banned')).toMatchObject({ threatLevel: 10, policyType: 'license' });
    expect(byName.get('Architecture-Quality')).toMatchObject({ policyType: 'quality' });
    expect(byName.get('Component-Unknown')).toMatchObject({ policyType: 'other' });
  });

  it('needs credentials, and shows only what the caller may view', async () => {
    expect((await server.request('GET', '/api/v2/policies', { auth: null })).status).toBe(401);
    const outsider = await server.request('GET', '/api/v2/policies', { auth: OUTSIDER });
    expect(outsider.status).toBe(200);
    expect(outsider.body.policies).toEqual([]);
  });
});

describe('policy CRUD (Tollgate)', () => {
  let policyId: string;

  it('creates a policy on an organization and shows it to the organizations and applications below', async () => {
    const res = await server.request('POST', `/api/v2/policies/organization/${org}`, { body: critical });
    expect(res.status).toBe(200);
    policyId = res.body.id;
    expect(res.body).toMatchObject({ name: 'No critical', ownerType: 'organization', ownerId: org, threatLevel: 9, policyType: 'security', tagIds: [] });
    expect(res.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.constraints[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.constraints[0].conditions.map((c: { conditionIndex: number }) => c.conditionIndex)).toEqual([0, 1]);

    const below = await server.request('GET', `/api/v2/policies/application/${appId}`);
    expect(below.status).toBe(200);
    expect(below.body.policiesByOwner.map((o: { ownerId: string; inherited: boolean }) => [o.ownerId, o.inherited])).toEqual([
      [appId, false],
      [child, true],
      [org, true],
      ['ROOT_ORGANIZATION_ID', true],
    ]);
    expect(below.body.policiesByOwner[2].policies.map((p: { name: string }) => p.name)).toEqual(['No critical']);
    expect(below.body.effectivePolicies.map((p: { name: string }) => p.name)).toContain('Security-Critical');
    expect(below.body.effectivePolicies.map((p: { name: string }) => p.name)).toContain('No critical');

    const effective = await effectivePolicies(server.ctx, appId);
    expect(effective.map((p) => p.name)).toContain('No critical');
    expect(effective[0].ownerId).toBe('ROOT_ORGANIZATION_ID');
  });

  it('stores condition type aliases in the reference spelling', async () => {
    const res = await server.request('POST', `/api/v2/policies/organization/${child}`, {
      body: {
        name: 'No banned',
        threatLevel: 10,
        actions: { build: 'fail' },
        constraints: [{ name: 'Banned', conditions: [{ conditionTypeId: 'LicenseThreatGroup', operator: 'is', value: rootThreatGroupId('Banned') }] }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.constraints[0]).toMatchObject({ operator: 'AND', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is' }] });
    expect(res.body.policyType).toBe('license');
  });

  it('refuses bad policies with every problem named, storing nothing', async () => {
    const before = await policyCount();
    const bad = await server.request('POST', `/api/v2/policies/organization/${org}`, {
      body: {
        name: 'Bad',
        threatLevel: 11,
        actions: { build: 'explode', someday: 'warn' },
        constraints: [
          {
            name: 'c',
            conditions: [
              { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: 'about', value: '9' },
              { conditionTypeId: 'AgeInDays', operator: 'older than', value: 'old' },
              { conditionTypeId: 'NoSuchCondition', operator: 'is', value: 'x' },
              { conditionTypeId: 'License Threat Group', operator: 'is', value: 'not-a-group' },
            ],
          },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('threat level must be a whole number from 0 to 10');
    expect(bad.text).toContain('unknown action "explode"');
    expect(bad.text).toContain('unknown stage "someday"');
    expect(bad.text).toContain('does not support the operator "about"');
    expect(bad.text).toContain('Age needs a whole number');
    expect(bad.text).toContain('unknown condition type "NoSuchCondition"');
    expect(bad.text).toContain('"not-a-group" is not a license threat group');
    const noConstraints = await server.request('POST', `/api/v2/policies/organization/${org}`, { body: { name: 'Empty', threatLevel: 1, constraints: [] } });
    expect(noConstraints.status).toBe(400);
    expect(noConstraints.text).toContain('needs at least one constraint');
    const noName = await server.request('POST', `/api/v2/policies/organization/${org}`, { body: { ...critical, name: ' ' } });
    expect(noName.status).toBe(400);
    const wrongType = await server.request('POST', `/api/v2/policies/organization/${org}`, { body: { ...critical, threatLevel: '9' } });
    expect(wrongType.status).toBe(400);
    expect(await policyCount()).toBe(before);
  });

  it('refuses a second policy of the same name on one owner (409)', async () => {
    const before = await policyCount();
    const res = await server.request('POST', `/api/v2/policies/organization/${org}`, { body: { ...critical, name: 'NO CRITICAL' } });
    expect(res.status).toBe(409);
    expect(res.text).toContain('already exists');
    expect(await policyCount()).toBe(before);
  });

  it('reads, changes and deletes one policy', async () => {
    const got = await server.request('GET', `/api/v2/policies/organization/${org}/${policyId}`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('No critical');
    const changed = await server.request('PUT', `/api/v2/policies/organization/${org}/${policyId}`, {
      body: { threatLevel: 8, actions: { 'stage-release': 'fail' } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'No critical', threatLevel: 8, actions: { 'stage-release': 'fail' } });
    expect(changed.body.constraints).toEqual(got.body.constraints);
    const bad = await server.request('PUT', `/api/v2/policies/organization/${org}/${policyId}`, { body: { actions: { release: 'block' } } });
    expect(bad.status).toBe(400);
    expect((await server.request('GET', `/api/v2/policies/organization/${org}/${policyId}`)).body.actions).toEqual({ 'stage-release': 'fail' });
    // Not this owner's policy, or no such policy.
    expect((await server.request('GET', `/api/v2/policies/organization/${child}/${policyId}`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/policies/organization/${org}/${newId()}`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/policies/organization/${newId()}`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/policies/team/${org}`)).status).toBe(400);

    const deleted = await server.request('DELETE', `/api/v2/policies/organization/${org}/${policyId}`);
    expect(deleted.status).toBe(204);
    expect((await server.request('GET', `/api/v2/policies/organization/${org}/${policyId}`)).status).toBe(404);
    expect((await server.request('DELETE', `/api/v2/policies/organization/${org}/${policyId}`)).status).toBe(404);
  });

  it('lets READ view and only WRITE change', async () => {
    expect((await server.request('GET', `/api/v2/policies/organization/${org}`, { auth: DEV })).status).toBe(200);
    expect((await server.request('GET', `/api/v2/policies/application/${appId}`, { auth: DEV })).status).toBe(200);
    expect((await server.request('GET', `/api/v2/policies/organization/${org}`, { auth: OUTSIDER })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/policies/organization/${org}`, { auth: null })).status).toBe(401);
    const before = await policyCount();
    const denied = await server.request('POST', `/api/v2/policies/organization/${org}`, { auth: DEV, body: { ...critical, name: 'Dev policy' } });
    expect(denied.status).toBe(403);
    expect(await policyCount()).toBe(before);
    const root = await server.request('GET', '/api/v2/policies/organization/ROOT_ORGANIZATION_ID');
    const rootPolicy = root.body.policiesByOwner[0].policies[0];
    expect((await server.request('DELETE', `/api/v2/policies/organization/ROOT_ORGANIZATION_ID/${rootPolicy.id}`, { auth: DEV })).status).toBe(403);
  });

  it('lists the condition types', async () => {
    const res = await server.request('GET', '/api/v2/policyConditionTypes');
    expect(res.status).toBe(200);
    const ids = res.body.conditionTypes.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['SecurityVulnerabilitySeverity', 'License Threat Group', 'Coordinates', 'CisaKev']));
  });
});

describe('policy export and import', () => {
  let source: string;
  let target: string;
  let groupId: string;
  let categoryId: string;

  beforeAll(async () => {
    source = await newOrg('Export Source');
    target = await newOrg('Import Target');
    const group = await server.request('POST', `/api/v2/licenseThreatGroups/organization/${source}`, {
      body: { name: 'Strict Copyleft', threatLevel: 8, licenseIds: ['GPL-3.0-only', 'AGPL-3.0-only'] },
    });
    expect(group.status).toBe(200);
    groupId = group.body.id;
    categoryId = newId();
    await server.ctx.store.db
      .insertInto('application_categories')
      .values({ id: categoryId, organization_id: source, name: 'Distributed', description: 'shipped to customers', color: 'dark-red' })
      .execute();
    const policy = await server.request('POST', `/api/v2/policies/organization/${source}`, {
      body: {
        name: 'Strict licenses',
        threatLevel: 8,
        actions: { release: 'fail' },
        tagIds: [categoryId],
        constraints: [
          { name: 'Strict copyleft', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: groupId }] },
          { name: 'Banned', conditions: [{ conditionTypeId: 'License Threat Group', operator: 'is', value: rootThreatGroupId('Banned') }] },
        ],
      },
    });
    expect(policy.status).toBe(200);
    const old = await server.request('POST', `/api/v2/policies/organization/${source}`, {
      body: { name: 'Old things', threatLevel: 2, constraints: [{ name: 'Old', operator: 'OR', conditions: [{ conditionTypeId: 'AgeInDays', operator: 'older than', value: '3650' }] }] },
    });
    expect(old.status).toBe(200);
  });

  it('exports an owner’s policies with the groups and categories they use, in the reference shape', async () => {
    const res = await server.request('GET', `/api/v2/policy/organization/${source}/export`);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, res.body);
    expect(res.body.policies.map((p: { name: string }) => p.name).sort()).toEqual(['Old things', 'Strict licenses']);
    const groups = res.body.licenseThreatGroups.map((g: { name: string }) => g.name).sort();
    expect(groups).toEqual(['Banned', 'Strict Copyleft']);
    expect(res.body.licenseThreatGroupLicenses.filter((l: { licenseThreatGroupId: string }) => l.licenseThreatGroupId === groupId).map((l: { licenseId: string }) => l.licenseId)).toEqual([
      'AGPL-3.0-only',
      'GPL-3.0-only',
    ]);
    expect(res.body.tags).toEqual([
      { id: categoryId, name: 'Distributed', nameLowercaseNoWhitespace: 'distributed', description: 'shipped to customers', color: 'dark-red', organizationId: source },
    ]);
    const strict = res.body.policies.find((p: { name: string }) => p.name === 'Strict licenses');
    expect(res.body.policyTags).toEqual([expect.objectContaining({ policyId: strict.id, tagId: categoryId })]);
    expect(res.body.labels).toEqual([]);

    const inherited = await server.request('GET', `/api/v2/policy/organization/${source}/export?includeInherited=true`);
    expect(inherited.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, inherited.body);
    expect(inherited.body.policies.map((p: { ownerId: string }) => p.ownerId)).toContain('ROOT_ORGANIZATION_ID');

    const app = await server.request('GET', `/api/v2/policy/application/${appId}/export?includeInherited=true`);
    expect(app.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, app.body);
  });

  it('needs READ on the owner, and a real owner', async () => {
    expect((await server.request('GET', `/api/v2/policy/organization/${source}/export`, { auth: OUTSIDER })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/policy/organization/${source}/export`, { auth: null })).status).toBe(401);
    expect((await server.request('GET', `/api/v2/policy/organization/${newId()}/export`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/policy/repository/${newId()}/export`)).status).toBe(404);
  });

  it('imports an export into another organization: new ids, groups and categories carried over', async () => {
    const exported = (await server.request('GET', `/api/v2/policy/organization/${source}/export`)).body;
    const res = await server.request('POST', `/api/v2/policy/organization/${target}/import`, { body: exported });
    expect(res.status).toBe(200);
    expect(res.body.licenseThreatGroups).toEqual({ created: ['Strict Copyleft'], updated: [], reused: ['Banned'] });
    expect(res.body.tags).toEqual({ created: ['Distributed'], reused: [] });
    expect(res.body.policies).toHaveLength(2);
    for (const p of res.body.policies) expect(exported.policies.map((e: { id: string }) => e.id)).not.toContain(p.id);

    const again = (await server.request('GET', `/api/v2/policy/organization/${target}/export`)).body;
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, again);
    // The same policies, groups and categories, under new ids on the new owner.
    const shape = (e: typeof exported) => {
      const groupName = new Map(e.licenseThreatGroups.map((g: { id: string; name: string }) => [g.id, g.name]));
      const tagName = new Map(e.tags.map((t: { id: string; name: string }) => [t.id, t.name]));
      return e.policies
        .map((p: typeof exported.policies[0]) => ({
          name: p.name,
          threatLevel: p.threatLevel,
          actions: p.actions,
          tags: e.policyTags.filter((t: { policyId: string }) => t.policyId === p.id).map((t: { tagId: string }) => tagName.get(t.tagId)),
          constraints: p.constraints.map((c: typeof p.constraints[0]) => ({
            name: c.name,
            operator: c.operator,
            conditions: c.conditions.map((d: typeof c.conditions[0]) => ({ ...d, value: groupName.get(d.value) ?? d.value })),
          })),
        }))
        .sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
    };
    expect(shape(again)).toEqual(shape(exported));
    expect(again.policies.every((p: { ownerId: string }) => p.ownerId === target)).toBe(true);
    const strictGroup = again.licenseThreatGroups.find((g: { name: string }) => g.name === 'Strict Copyleft');
    expect(strictGroup).toMatchObject({ ownerId: target, threatLevel: 8 });
    expect(strictGroup.id).not.toBe(groupId);
    expect(again.tags[0]).toMatchObject({ name: 'Distributed', organizationId: target, color: 'dark-red' });
  });

  it('carries component labels: Label conditions name labels the owner sees, exports list them, imports recreate them', async () => {
    const labelOwner = await newOrg('Label Source');
    const labelTarget = await newOrg('Label Target');
    const label = await server.request('POST', `/api/v2/labels/organization/${labelOwner}`, { body: { label: 'Deprecated', description: 'do not use', color: 'dark-red' } });
    expect(label.status).toBe(200);
    const labelled = (labelId: string) => ({
      name: 'No deprecated components',
      threatLevel: 5,
      actions: { build: 'warn' },
      constraints: [{ name: 'Deprecated', operator: 'AND', conditions: [{ conditionTypeId: 'Label', operator: 'is', value: labelId }] }],
    });
    const unknown = await server.request('POST', `/api/v2/policies/organization/${labelOwner}`, { body: labelled(newId()) });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/is not a label of this owner or above it/);
    expect((await server.request('POST', `/api/v2/policies/organization/${labelOwner}`, { body: labelled(label.body.id) })).status).toBe(200);

    const exported = (await server.request('GET', `/api/v2/policy/organization/${labelOwner}/export`)).body;
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, exported);
    expect(exported.labels).toEqual([{ id: label.body.id, label: 'Deprecated', labelLowercase: 'deprecated', description: 'do not use', color: 'dark-red', ownerId: labelOwner }]);

    // The target (a sibling) cannot see the source's label: the import creates it there.
    const imported = await server.request('POST', `/api/v2/policy/organization/${labelTarget}/import`, { body: exported });
    expect(imported.status, imported.text).toBe(200);
    const again = (await server.request('GET', `/api/v2/policy/organization/${labelTarget}/export`)).body;
    expect(again.labels).toEqual([expect.objectContaining({ label: 'Deprecated', ownerId: labelTarget, color: 'dark-red' })]);
    expect(again.labels[0].id).not.toBe(label.body.id);
    expect(again.policies[0].constraints[0].conditions[0].value).toBe(again.labels[0].id);
  });

  it('imports all or nothing: names taken (409), unknown condition types and bad values (400)', async () => {
    const exported = (await server.request('GET', `/api/v2/policy/organization/${source}/export`)).body;
    const before = await policyCount();
    const groupsBefore = (await server.ctx.store.db.selectFrom('license_threat_groups').select('id').execute()).length;

    const twice = await server.request('POST', `/api/v2/policy/organization/${target}/import`, { body: exported });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('"Strict licenses"');

    const fresh = await newOrg('Import Fresh');
    const withUnknown = structuredClone(exported);
    withUnknown.policies[0].constraints[0].conditions.push({ conditionTypeId: 'HygieneRating', operator: 'is', value: '4', conditionIndex: 1 });
    withUnknown.policies[1].constraints[0].conditions.push({ conditionTypeId: 'IntegrityRating', operator: 'is', value: '1', conditionIndex: 1 });
    const unknown = await server.request('POST', `/api/v2/policy/organization/${fresh}/import`, { body: withUnknown });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Unknown condition types');
    expect(unknown.text).toContain('"HygieneRating"');
    expect(unknown.text).toContain('"IntegrityRating"');

    const badValue = structuredClone(exported);
    badValue.policies[1].constraints[0].conditions[0].value = 'forever';
    const bad = await server.request('POST', `/api/v2/policy/organization/${fresh}/import`, { body: badValue });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Age needs a whole number');

    const noPolicies = await server.request('POST', `/api/v2/policy/organization/${fresh}/import`, { body: { policies: [] } });
    expect(noPolicies.status).toBe(400);

    expect(await policyCount()).toBe(before);
    expect((await server.ctx.store.db.selectFrom('license_threat_groups').select('id').execute()).length).toBe(groupsBefore);
    expect((await server.request('GET', `/api/v2/policies/organization/${fresh}`)).body.policiesByOwner[0].policies).toEqual([]);

    const denied = await server.request('POST', `/api/v2/policy/organization/${org}/import`, { auth: DEV, body: exported });
    expect(denied.status).toBe(403);
    expect(await policyCount()).toBe(before);
  });

  it('imports an export written by the reference product', async () => {
    const fresh = await newOrg('From IQ');
    const iq = {
      policies: [
        {
          id: 'd98fb873ed1f48e5b00316d8acddbc0f',
          name: 'Security-Medium',
          ownerId: 'ROOT_ORGANIZATION_ID',
          threatLevel: 7,
          policyViolationGrandfatheringAllowed: false,
          actions: {},
          constraints: [
            {
              id: 'c6436a5a051046b1ba2aa94e9fd82a51',
              name: 'Medium risk CVSS score',
              operator: 'AND',
              conditions: [
                { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '>=', value: '4', conditionIndex: 0 },
                { conditionTypeId: 'SecurityVulnerabilitySeverity', operator: '<', value: '7', conditionIndex: 1 },
              ],
            },
          ],
          notifications: { userNotifications: [], roleNotifications: [], jiraNotifications: [], webhookNotifications: [] },
        },
        {
          id: '15263322b1604e2ba0163016df6845a9',
          name: 'Component-Similar',
          ownerId: 'ROOT_ORGANIZATION_ID',
          threatLevel: 7,
          actions: { build: 'warn' },
          constraints: [
            {
              id: 'c500f3e197ad4d17bb43b6da4790d4bb',
              name: 'Unknown modification to component',
              operator: 'AND',
              conditions: [
                { conditionTypeId: 'MatchState', operator: 'is', value: 'similar', conditionIndex: 0 },
                { conditionTypeId: 'Coordinates', operator: 'do not match', value: 'maven:org.eclipse.*:*:*:*:*', conditionIndex: 1 },
              ],
            },
          ],
        },
      ],
      licenseThreatGroups: [],
      licenseThreatGroupLicenses: [],
      labels: [],
      tags: [],
      policyTags: [],
    };
    const res = await server.request('POST', `/api/v2/policy/organization/${fresh}/import`, { body: iq });
    expect(res.status).toBe(200);
    expect(res.body.policies.map((p: { name: string }) => p.name)).toEqual(['Security-Medium', 'Component-Similar']);
    const listed = await server.request('GET', `/api/v2/policies/organization/${fresh}`);
    expect(listed.body.policiesByOwner[0].policies.map((p: { policyType: string }) => p.policyType).sort()).toEqual(['other', 'security']);
  });
});

describe('the score source condition and Security-Unscored', () => {
  const unscored = {
    name: 'Unscored anywhere',
    threatLevel: 8,
    actions: { build: 'fail' },
    constraints: [{ name: 'No score', conditions: [{ conditionTypeId: 'SecurityVulnerabilityScoreSource', operator: 'is', value: 'unscored' }] }],
  };

  it('is in the reference set: severe, warns at build, fails at release', async () => {
    const res = await server.request('GET', '/api/v2/policies/organization/ROOT_ORGANIZATION_ID');
    expect(res.status).toBe(200);
    const policy = res.body.policiesByOwner[0].policies.find((p: { name: string }) => p.name === 'Security-Unscored');
    expect(policy).toMatchObject({ threatLevel: 7, policyType: 'security', actions: { build: 'warn', 'stage-release': 'fail', release: 'fail' } });
    expect(policy.constraints[0].conditions.map((c: { conditionTypeId: string; operator: string; value: string }) => `${c.conditionTypeId} ${c.operator} ${c.value}`)).toEqual([
      'SecurityVulnerabilityScoreSource is unscored',
      'SecurityVulnerabilityStatus is not NOT_APPLICABLE',
    ]);
    const types = await server.request('GET', '/api/v2/policyConditionTypes');
    expect(types.body.conditionTypes.map((t: { id: string }) => t.id)).toContain('SecurityVulnerabilityScoreSource');
  });

  it('policy CRUD takes the condition and refuses a source it does not know', async () => {
    const owner = await newOrg('Score Source Org');
    const made = await server.request('POST', `/api/v2/policies/organization/${owner}`, { body: unscored });
    expect(made.status, made.text).toBe(200);
    expect(made.body.constraints[0].conditions[0]).toMatchObject({ conditionTypeId: 'SecurityVulnerabilityScoreSource', operator: 'is', value: 'unscored' });
    const before = await policyCount();
    const bad = await server.request('POST', `/api/v2/policies/organization/${owner}`, {
      body: { ...unscored, name: 'Bad source', constraints: [{ name: 'x', conditions: [{ conditionTypeId: 'SecurityVulnerabilityScoreSource', operator: 'is', value: 'guessed' }] }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('must be one of osv, alias, nvd, qualitative, unscored, not "guessed"');
    expect(await policyCount()).toBe(before);
  });

  it('exports and imports it', async () => {
    const from = await newOrg('Score Export Source');
    const to = await newOrg('Score Import Target');
    expect((await server.request('POST', `/api/v2/policies/organization/${from}`, { body: unscored })).status).toBe(200);
    const exported = await server.request('GET', `/api/v2/policy/organization/${from}/export`);
    expect(exported.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/policy/{ownerType}/{ownerId}/export', 200, exported.body);
    const imported = await server.request('POST', `/api/v2/policy/organization/${to}/import`, { body: exported.body });
    expect(imported.status, imported.text).toBe(200);
    const listed = await server.request('GET', `/api/v2/policies/organization/${to}`);
    expect(listed.body.policiesByOwner[0].policies[0].constraints[0].conditions[0]).toMatchObject({
      conditionTypeId: 'SecurityVulnerabilityScoreSource',
      operator: 'is',
      value: 'unscored',
    });
  });
});
