import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';

let server: TestServer;
const _PASSWORD = 'password123';

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId);

async function createLabel(ownerType: string, ownerId: string, label: string, color = 'light-green') {
  return server.request('POST', `/api/v2/labels/${ownerType}/${ownerId}`, { body: { label, description: `${label}!`, color } });
}

const labelNames = (list: Array<{ label: string }>) => list.map((l) => l.label);

let division: string;
let team: string;
let app: string;
beforeAll(async () => {
  server = await startTestServer();
  division = await createOrg('Division');
  team = await createOrg('Team', division);
  app = await createApp('labelled-app', team);
});
afterAll(async () => {
  await server?.close();
});

describe('component labels', () => {
  it('creates, lists, updates and deletes labels of organizations and applications', async () => {
    const created = await createLabel('organization', division, 'Architecture-Deprecated', 'dark-red');
    expect(created.status, created.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/labels/{ownerType}/{ownerId}', 200, created.body);
    expect(created.body).toMatchObject({
      label: 'Architecture-Deprecated',
      description: 'Architecture-Deprecated!',
      color: 'dark-red',
      ownerId: division,
      ownerType: 'organization',
    });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);

    const onApp = await createLabel('application', app, 'Approved', 'yellow');
    expect(onApp.status).toBe(200);
    expect(onApp.body).toMatchObject({ ownerId: app, ownerType: 'application' });

    const list = await server.request('GET', `/api/v2/labels/organization/${division}`);
    expect(list.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/labels/{ownerType}/{ownerId}', 200, list.body);
    expect(list.body).toEqual([created.body]);

    const updated = await server.request('PUT', `/api/v2/labels/organization/${division}`, {
      body: { id: created.body.id, label: 'Deprecated', description: 'do not use', color: 'orange' },
    });
    expect(updated.status, updated.text).toBe(200);
    expectMatchesReference('PUT', '/api/v2/labels/{ownerType}/{ownerId}', 200, updated.body);
    expect(updated.body).toEqual({ id: created.body.id, label: 'Deprecated', description: 'do not use', color: 'orange', ownerId: division, ownerType: 'organization' });
    expect((await server.request('GET', `/api/v2/labels/organization/${division}`)).body).toEqual([updated.body]);

    expect((await server.request('DELETE', `/api/v2/labels/application/${app}/${onApp.body.id}`)).status).toBe(204);
    expect((await server.request('GET', `/api/v2/labels/application/${app}`)).body).toEqual([]);
    expect((await server.request('DELETE', `/api/v2/labels/application/${app}/${onApp.body.id}`)).status).toBe(404);
    // A label is changed or deleted only through its own owner.
    expect((await server.request('DELETE', `/api/v2/labels/organization/${team}/${created.body.id}`)).status).toBe(404);
    expect((await server.request('PUT', `/api/v2/labels/organization/${team}`, { body: { id: created.body.id, label: 'x', color: 'orange' } })).status).toBe(404);
  });

  it('inherits labels down the organization tree to applications', async () => {
    const org = await createOrg('Inheriting');
    const sub = await createOrg('Inheriting child', org);
    const subApp = await createApp('inheriting-app', sub);
    await createLabel('organization', 'ROOT_ORGANIZATION_ID', 'Global');
    await createLabel('organization', org, 'Org level');
    await createLabel('organization', sub, 'Sub level');
    await createLabel('application', subApp, 'App level');

    expect(labelNames((await server.request('GET', `/api/v2/labels/application/${subApp}`)).body)).toEqual(['App level']);
    const inherited = await server.request('GET', `/api/v2/labels/application/${subApp}?inherit=true`);
    expectMatchesReference('GET', '/api/v2/labels/{ownerType}/{ownerId}', 200, inherited.body);
    expect(labelNames(inherited.body)).toEqual(['App level', 'Sub level', 'Org level', 'Global']);

    const applicable = await server.request('GET', `/api/v2/labels/application/${subApp}/applicable`);
    expect(applicable.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/labels/{ownerType}/{ownerId}/applicable', 200, applicable.body);
    expect(
      applicable.body.labelsByOwner.map((o: { ownerType: string; ownerId: string; ownerName: string; labels: Array<{ label: string }> }) => [
        o.ownerType,
        o.ownerId,
        o.ownerName,
        labelNames(o.labels),
      ]),
    ).toEqual([
      ['application', subApp, 'inheriting-app', ['App level']],
      ['organization', sub, 'Inheriting child', ['Sub level']],
      ['organization', org, 'Inheriting', ['Org level']],
      ['organization', 'ROOT_ORGANIZATION_ID', 'Root Organization', ['Global']],
    ]);
    const orgApplicable = await server.request('GET', `/api/v2/labels/organization/${org}/applicable`);
    expect(orgApplicable.body.labelsByOwner.map((o: { ownerId: string }) => o.ownerId)).toEqual([org, 'ROOT_ORGANIZATION_ID']);
  });

  it('shows where a label can be applied, as a tree of owners', async () => {
    const org = await createOrg('Context');
    const sub = await createOrg('Context child', org);
    const orgApp = await createApp('context-org-app', org);
    const subApp = await createApp('context-sub-app', sub);
    const label = (await createLabel('organization', org, 'Contextual')).body;

    const context = await server.request('GET', `/api/v2/labels/organization/${org}/applicable/context/${label.id}`);
    expect(context.status, context.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/labels/{ownerType}/{ownerId}/applicable/context/{labelId}', 200, context.body);
    expect(context.body).toEqual({
      id: org,
      name: 'Context',
      type: 'organization',
      children: [
        {
          id: sub,
          name: 'Context child',
          type: 'organization',
          children: [{ id: subApp, name: 'context-sub-app', type: 'application', children: [] }],
        },
        { id: orgApp, name: 'context-org-app', type: 'application', children: [] },
      ],
    });
    // Below the owner too, but not above it or beside it.
    const atApp = await server.request('GET', `/api/v2/labels/application/${subApp}/applicable/context/${label.id}`);
    expect(atApp.body).toEqual({ id: subApp, name: 'context-sub-app', type: 'application', children: [] });
    expect((await server.request('GET', `/api/v2/labels/organization/ROOT_ORGANIZATION_ID/applicable/context/${label.id}`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/labels/organization/${division}/applicable/context/${label.id}`)).status).toBe(404);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const org = await createOrg('Label validation');
    expect((await createLabel('organization', org, 'Existing')).status).toBe(200);
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ color: 'orange' }, 400, /label is required/],
      [{ label: 'x'.repeat(65), color: 'orange' }, 400, /at most 64/],
      [{ label: 'No color' }, 400, /color is required/],
      // Labels have the ten colors the reference lists, not all category colors.
      [{ label: 'Grey', color: 'grey' }, 400, /color "grey" is not one of light-red/],
      [{ label: 'Long', color: 'orange', description: 'd'.repeat(1001) }, 400, /description must be at most 1000/],
      [{ id: 'abc', label: 'With id', color: 'orange' }, 400, /id must not be given/],
      [{ label: ['x'], color: 'orange' }, 400, /label/],
      [{ label: 'existing', color: 'orange' }, 409, /already has a label "Existing"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await server.request('POST', `/api/v2/labels/organization/${org}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect(labelNames((await server.request('GET', `/api/v2/labels/organization/${org}`)).body)).toEqual(['Existing']);
    // The same label on another owner is fine.
    expect((await createLabel('organization', team, 'Existing')).status).toBe(200);

    const second = (await createLabel('organization', org, 'Second')).body;
    const updates: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ label: 'No id', color: 'orange' }, 400, /id of the label to update is required/],
      [{ id: second.id, label: 'EXISTING', color: 'orange' }, 409, /already has a label/],
      [{ id: second.id, label: 'Second', color: 'teal' }, 400, /color "teal"/],
      [{ id: '0123456789abcdef0123456789abcdef', label: 'Ghost', color: 'orange' }, 404, /not found/],
    ];
    for (const [body, status, message] of updates) {
      const res = await server.request('PUT', `/api/v2/labels/organization/${org}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }

    const badType = await server.request('GET', `/api/v2/labels/team/${org}`);
    expect(badType.status).toBe(400);
    expect(badType.text).toMatch(/ownerType/);
    const repository = await server.request('POST', '/api/v2/labels/repository/some-repo', { body: { label: 'x', color: 'orange' } });
    expect(repository.status).toBe(404);
    expect(repository.text).toMatch(/no repositories/);
    expect((await server.request('GET', '/api/v2/labels/organization/nope')).status).toBe(404);
    expect((await server.request('GET', '/api/v2/labels/application/nope/applicable')).status).toBe(404);
  });

  it('checks permissions: 401 without credentials, 403 without the permission', async () => {
    const org = await createOrg('Label guarded');
    const orgApp = await createApp('label-guarded-app', org);
    const label = (await createLabel('organization', org, 'Guarded')).body;
    const nobody = await userWithRole(server, 'label-nobody', null);
    const viewer = await userWithRole(server, 'label-viewer', 'Developer', 'organization', org);
    const owner = await userWithRole(server, 'label-owner', 'Owner', 'organization', org);

    expect((await server.request('GET', `/api/v2/labels/organization/${org}`, { auth: null })).status).toBe(401);
    for (const path of [`/api/v2/labels/organization/${org}`, `/api/v2/labels/application/${orgApp}?inherit=true`, `/api/v2/labels/organization/${org}/applicable`]) {
      expect((await server.request('GET', path, { auth: nobody })).status, path).toBe(403);
      expect((await server.request('GET', path, { auth: viewer })).status, path).toBe(200);
    }
    // Edit IQ Elements for changes and for the applicable context.
    const denied = await server.request('POST', `/api/v2/labels/organization/${org}`, { auth: viewer, body: { label: 'Viewer', color: 'orange' } });
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/WRITE/);
    expect((await server.request('PUT', `/api/v2/labels/organization/${org}`, { auth: viewer, body: { id: label.id, label: 'x', color: 'orange' } })).status).toBe(403);
    expect((await server.request('DELETE', `/api/v2/labels/organization/${org}/${label.id}`, { auth: viewer })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/labels/organization/${org}/applicable/context/${label.id}`, { auth: viewer })).status).toBe(403);
    expect((await server.request('GET', `/api/v2/labels/organization/${org}/applicable/context/${label.id}`, { auth: owner })).status).toBe(200);
    expect((await server.request('POST', `/api/v2/labels/application/${orgApp}`, { auth: owner, body: { label: 'Owned', color: 'orange' } })).status).toBe(200);
    expect((await server.request('POST', `/api/v2/labels/organization/${division}`, { auth: owner, body: { label: 'Elsewhere', color: 'orange' } })).status).toBe(403);
    expect(labelNames((await server.request('GET', `/api/v2/labels/organization/${org}`)).body)).toEqual(['Guarded']);
  });

  it('removes the labels of a deleted application or organization', async () => {
    const org = await createOrg('Labelled then gone');
    const orgApp = await createApp('labelled-then-gone', org);
    await createLabel('organization', org, 'Org label');
    await createLabel('application', orgApp, 'App label');
    expect((await server.request('DELETE', `/api/v2/applications/${orgApp}`)).status).toBe(204);
    const db = server.ctx.store.db;
    expect(await db.selectFrom('component_labels').select('label').where('owner_id', '=', orgApp).execute()).toEqual([]);
    expect((await server.request('DELETE', `/api/v2/organizations/${org}`)).status).toBe(204);
    expect(await db.selectFrom('component_labels').select('label').where('owner_id', '=', org).execute()).toEqual([]);
  });
});
