import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentLabelsFor } from '../../src/services/decisions/component-labels-applied.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';

let server: TestServer;
let division: string;
let team: string;
let app: string;
let elsewhere: string;
let developer: [string, string];
let teamOwner: [string, string];


const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId);

async function defineLabel(ownerType: string, ownerId: string, label: string): Promise<string> {
  const res = await server.request('POST', `/api/v2/labels/${ownerType}/${ownerId}`, { body: { label, description: '', color: 'dark-red' } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

const HASH = '1234567890abcdef1234';
const OTHER = 'fedcba0987654321fedc';
const path = (hash: string, label: string, ownerType: string, ownerId: string) =>
  `/api/v2/components/${hash}/labels/${encodeURIComponent(label)}/${ownerType}s/${ownerId}`;
const assignments = async () =>
  Number((await server.ctx.store.db.selectFrom('component_label_assignments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

let deprecated: string;
let approved: string;
beforeAll(async () => {
  server = await startTestServer();
  division = await createOrg('Division');
  team = await createOrg('Team', division);
  app = await createApp('labelled', team);
  elsewhere = await createApp('elsewhere', await createOrg('Elsewhere'));
  deprecated = await defineLabel('organization', division, 'Architecture-Deprecated');
  approved = await defineLabel('application', app, 'Approved');
  developer = await userWithRole(server, 'dev', 'Developer', 'organization', 'ROOT_ORGANIZATION_ID');
  teamOwner = await userWithRole(server, 'team-owner', 'Owner', 'organization', team);
});
afterAll(async () => {
  await server?.close();
});

describe('component labels on components', () => {
  it('applies labels defined on the owner or above, and takes them off again', async () => {
    // An inherited label, named in another case; a label of the application itself; twice is once.
    expect((await server.request('POST', path(HASH, 'architecture-deprecated', 'application', app))).status).toBe(204);
    expect((await server.request('POST', path(HASH, 'Approved', 'application', app))).status).toBe(204);
    expect((await server.request('POST', path(HASH, 'Approved', 'application', app))).status).toBe(204);
    // Within the division, for every application below it; by a full SHA-1 too.
    expect((await server.request('POST', path(`${OTHER}0123456789abcdef0123`, 'Architecture-Deprecated', 'organization', division))).status).toBe(204);
    expect(await assignments()).toBe(3);

    const labels = await componentLabelsFor(server.ctx, app);
    expect(labels.get(HASH)?.map((l) => [l.label, l.labelId, l.owner.type])).toEqual([
      ['Approved', approved, 'application'],
      ['Architecture-Deprecated', deprecated, 'application'],
    ]);
    expect(labels.get(OTHER)?.map((l) => [l.label, l.owner.id])).toEqual([['Architecture-Deprecated', division]]);
    expect((await componentLabelsFor(server.ctx, elsewhere)).size).toBe(0);

    expect((await server.request('DELETE', path(HASH, 'Approved', 'application', app))).status).toBe(204);
    const again = await server.request('DELETE', path(HASH, 'Approved', 'application', app));
    expect(again.status).toBe(404);
    expect(again.text).toMatch(/"Approved" is not applied to component 1234567890abcdef1234/);
    expect((await componentLabelsFor(server.ctx, app)).get(HASH)?.map((l) => l.label)).toEqual(['Architecture-Deprecated']);
  });

  it('answers 404 for labels not applicable to the owner and for unknown owners, storing nothing', async () => {
    const before = await assignments();
    const notHere = await server.request('POST', path(HASH, 'Approved', 'organization', team));
    expect(notHere.status).toBe(404);
    expect(notHere.text).toMatch(/No label "Approved" is applicable to organization/);
    expect((await server.request('POST', path(HASH, 'Architecture-Deprecated', 'application', elsewhere))).status).toBe(404);
    expect((await server.request('POST', path(HASH, 'No-Such-Label', 'application', app))).status).toBe(404);
    const noApp = await server.request('POST', path(HASH, 'Approved', 'application', 'ffffffffffffffffffffffffffffffff'));
    expect(noApp.status).toBe(404);
    expect(noApp.text).toMatch(/Application ffffffffffffffffffffffffffffffff not found/);
    expect((await server.request('POST', `/api/v2/components/${HASH}/labels/Approved/repositorys/r1`)).status).toBe(404);
    const badHash = await server.request('POST', path('nothash', 'Approved', 'application', app));
    expect(badHash.status).toBe(400);
    expect(badHash.text).toMatch(/not a component hash/);
    expect(await assignments()).toBe(before);
  });

  it('needs Edit IQ Elements on the owner', async () => {
    const before = await assignments();
    expect((await server.request('POST', path(HASH, 'Approved', 'application', app), { auth: null })).status).toBe(401);
    const denied = await server.request('POST', path(HASH, 'Approved', 'application', app), { auth: developer });
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/WRITE/);
    expect((await server.request('DELETE', path(HASH, 'Architecture-Deprecated', 'application', app), { auth: developer })).status).toBe(403);
    expect((await server.request('POST', path(HASH, 'Architecture-Deprecated', 'organization', division), { auth: teamOwner })).status).toBe(403);
    expect(await assignments()).toBe(before);
    expect((await server.request('POST', path(HASH, 'Approved', 'application', app), { auth: teamOwner })).status).toBe(204);
  });

  it('comes off components when the label or the owner is deleted', async () => {
    const before = await assignments();
    const doomed = await defineLabel('organization', team, 'Doomed');
    expect((await server.request('POST', path(HASH, 'Doomed', 'organization', team))).status).toBe(204);
    expect((await server.request('POST', path(OTHER, 'Doomed', 'application', app))).status).toBe(204);
    expect(await assignments()).toBe(before + 2);
    expect((await server.request('DELETE', `/api/v2/labels/organization/${team}/${doomed}`)).status).toBe(204);
    expect(await assignments()).toBe(before);

    const gone = await createApp('gone', team);
    expect((await server.request('POST', path(HASH, 'Architecture-Deprecated', 'application', gone))).status).toBe(204);
    expect((await server.request('DELETE', `/api/v2/applications/${gone}`)).status).toBe(204);
    expect(await assignments()).toBe(before);
  });

  it('documents the route under the reference path in the OpenAPI document', async () => {
    const doc = await server.request('GET', '/api/v2/endpoints/public', { auth: null });
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths).filter((p) => p.includes('/labels/{labelName}'));
    expect(paths).toEqual(['/api/v2/components/{componentHash}/labels/{labelName}/{ownerType}s/{internalOwnerId}']);
  });
});
