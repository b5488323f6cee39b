import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseOverridesFor } from '../../src/services/decisions/license-overrides.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { bracketQuery } from '../helpers/query.js';

let server: TestServer;
let division: string;
let team: string;
let app: string;
let sibling: string;
let developer: [string, string];
let lawyer: [string, string];
let outsider: [string, string];


const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId);

const LEFT_PAD = { format: 'npm', coordinates: { packageId: 'left-pad', version: '1.3.0' } };
const LEFT_PAD_PURL = 'pkg:npm/left-pad@1.3.0';
const GSON = { format: 'maven', coordinates: { artifactId: 'gson', classifier: '', extension: 'jar', groupId: 'com.google.code.gson', version: '2.11.0' } };

const save = (ownerType: string, ownerId: string, body: unknown, auth?: [string, string]) =>
  server.request('POST', `/api/v2/licenseOverrides/${ownerType}/${ownerId}`, { body, auth });
const applied = (ownerType: string, ownerId: string, identifier: unknown, suffix = '', auth?: [string, string]) =>
  server.request('GET', `/api/v2/licenseOverrides/${ownerType}/${ownerId}${suffix}?componentIdentifier=${encodeURIComponent(JSON.stringify(identifier))}`, { auth });
const overrideCount = async () =>
  Number((await server.ctx.store.db.selectFrom('license_overrides').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  server = await startTestServer();
  division = await createOrg('Division');
  team = await createOrg('Team', division);
  app = await createApp('overridden-app', team);
  sibling = await createApp('sibling-app', division);
  developer = await userWithRole(server, 'dev', 'Developer', 'organization', 'ROOT_ORGANIZATION_ID');
  lawyer = await userWithRole(server, 'lawyer', 'Legal Reviewer', 'organization', division);
  outsider = await userWithRole(server, 'outsider', 'Owner', 'organization', await createOrg('Elsewhere'));
});
afterAll(async () => {
  await server?.close();
});

describe('license overrides', () => {
  it('stores overrides per owner and lists those applying, nearest owner first', async () => {
    const root = await save('organization', 'ROOT_ORGANIZATION_ID', { componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: ['MIT'], comment: 'checked the repo' });
    expect(root.status, root.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/licenseOverrides/{ownerType}/{ownerId}', 200, root.body);
    expect(root.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      ownerId: 'ROOT_ORGANIZATION_ID',
      componentIdentifier: LEFT_PAD,
      status: 'OVERRIDDEN',
      licenseIds: ['MIT'],
      comment: 'checked the repo',
    });
    const onTeam = await save('organization', team, { packageUrl: LEFT_PAD_PURL, status: 'SELECTED', licenseIds: ['Apache-2.0', 'mit'] });
    expect(onTeam.status, onTeam.text).toBe(200);
    expect(onTeam.body).toMatchObject({ ownerId: team, componentIdentifier: LEFT_PAD, licenseIds: ['Apache-2.0', 'MIT'] });
    const onApp = await save('application', app, { ownerId: app, componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' });
    expect(onApp.status, onApp.text).toBe(200);
    expect(onApp.body).toMatchObject({ status: 'ACKNOWLEDGED', licenseIds: [] });
    // Another component on the application: not part of left-pad's answer.
    expect((await save('application', app, { componentIdentifier: GSON, status: 'CONFIRMED', licenseIds: ['Apache-2.0'] })).status).toBe(200);

    const list = await applied('application', app, LEFT_PAD);
    expect(list.status, list.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/licenseOverrides/{ownerType}/{ownerId}', 200, list.body);
    expect(list.body.licenseOverridesByOwner.map((o: { ownerType: string; ownerName: string; licenseOverride: { status: string } }) => [o.ownerType, o.ownerName, o.licenseOverride.status])).toEqual([
      ['application', 'overridden-app', 'ACKNOWLEDGED'],
      ['organization', 'Team', 'SELECTED'],
      ['organization', 'Root Organization', 'OVERRIDDEN'],
    ]);
    expect(list.body.licenseOverridesByOwner[0].licenseOverride).toEqual(onApp.body);

    // (admin holds no LEGAL_REVIEWER: Owner and System Administrator do not include it)
    const legal = await applied('application', app, LEFT_PAD, '/legalReviewer', lawyer);
    expect(legal.status, legal.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/licenseOverrides/{ownerType}/{ownerId}/legalReviewer', 200, legal.body);
    expect(legal.body).toEqual(list.body);

    // The component in the bracket form generated clients send reads the same, on both routes.
    for (const [suffix, auth] of [['', undefined], ['/legalReviewer', lawyer]] as const) {
      for (const encodeBrackets of [false, true]) {
        const bracketed = await server.request('GET', `/api/v2/licenseOverrides/application/${app}${suffix}?${bracketQuery('componentIdentifier', LEFT_PAD, { encodeBrackets })}`, { auth });
        expect(bracketed.status, bracketed.text).toBe(200);
        expect(bracketed.body).toEqual(list.body);
      }
    }

    // From the sibling application only the root's applies; by package URL too (Tollgate).
    const fromSibling = await server.request('GET', `/api/v2/licenseOverrides/application/${sibling}?packageUrl=${encodeURIComponent(LEFT_PAD_PURL)}`);
    expect(fromSibling.body.licenseOverridesByOwner.map((o: { ownerId: string }) => o.ownerId)).toEqual(['ROOT_ORGANIZATION_ID']);
    // The reference requires the component: without one it is a 400 naming it, never every override.
    for (const suffix of ['', '/legalReviewer']) {
      const everything = await server.request('GET', `/api/v2/licenseOverrides/application/${app}${suffix}`, { auth: suffix ? lawyer : undefined });
      expect(everything.status).toBe(400);
      expect(everything.text).toMatch(/^componentIdentifier is required/);
    }
    const none = await applied('application', app, { format: 'npm', coordinates: { packageId: 'is-odd', version: '3.0.1' } });
    expect(none.body).toEqual({ licenseOverridesByOwner: [] });
  });

  it('gives evaluation the overrides in effect for an application: nearest wins, deleting one uncovers the next', async () => {
    let index = await licenseOverridesFor(server.ctx, app);
    expect(index.get({ packageUrl: LEFT_PAD_PURL })).toMatchObject({ status: 'ACKNOWLEDGED', owner: { type: 'application', id: app }, distance: 0 });
    expect(index.get({ packageUrl: 'pkg:maven/com.google.code.gson/gson@2.11.0?type=jar' })).toMatchObject({ status: 'CONFIRMED', licenseIds: ['Apache-2.0'] });
    expect(index.get({ packageUrl: 'pkg:npm/is-odd@3.0.1' })).toBeUndefined();
    expect((await licenseOverridesFor(server.ctx, sibling)).get({ packageUrl: LEFT_PAD_PURL })).toMatchObject({ status: 'OVERRIDDEN', distance: 2 });

    const own = index.get({ packageUrl: LEFT_PAD_PURL })!;
    const deleted = await server.request('DELETE', `/api/v2/licenseOverrides/application/${app}/${own.id}`);
    expect(deleted.status).toBe(204);
    index = await licenseOverridesFor(server.ctx, app);
    expect(index.get({ packageUrl: LEFT_PAD_PURL })).toMatchObject({ status: 'SELECTED', licenseIds: ['Apache-2.0', 'MIT'], owner: { id: team }, distance: 1 });
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/application/${app}/${own.id}`)).status).toBe(404);
  });

  it('changes an override in place, by component or by id', async () => {
    const before = await overrideCount();
    const first = await save('organization', division, { componentIdentifier: GSON, status: 'OVERRIDDEN', licenseIds: ['MIT'] });
    const again = await save('organization', division, { componentIdentifier: GSON, status: 'OVERRIDDEN', licenseIds: ['BSD-3-Clause'] });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.licenseIds).toEqual(['BSD-3-Clause']);
    const byId = await save('organization', division, { id: first.body.id, componentIdentifier: GSON, status: 'CONFIRMED' });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: first.body.id, status: 'CONFIRMED', licenseIds: [] });
    expect(await overrideCount()).toBe(before + 1);

    const other = await save('organization', division, { componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' });
    const clash = await save('organization', division, { id: other.body.id, componentIdentifier: GSON, status: 'ACKNOWLEDGED' });
    expect(clash.status).toBe(409);
    expect(clash.text).toMatch(new RegExp(`already has license override ${first.body.id}`));
    const unknown = await save('organization', division, { id: 'ffffffffffffffffffffffffffffffff', componentIdentifier: GSON, status: 'OPEN' });
    expect(unknown.status).toBe(404);
    // An override elsewhere cannot be deleted through this owner.
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/organization/${team}/${first.body.id}`)).status).toBe(404);
    for (const id of [first.body.id, other.body.id]) {
      expect((await server.request('DELETE', `/api/v2/licenseOverrides/organization/${division}/${id}`)).status).toBe(204);
    }
  });

  it('keys components known only by hash', async () => {
    const res = await save('application', sibling, { hash: 'AAAAAAAAAAAAAAAAAAAA', status: 'OVERRIDDEN', licenseIds: ['LicenseRef-acme-proprietary'] });
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('POST', '/api/v2/licenseOverrides/{ownerType}/{ownerId}', 200, res.body);
    expect(res.body.componentIdentifier).toBeUndefined();
    const index = await licenseOverridesFor(server.ctx, sibling);
    expect(index.get({ hash: 'aaaaaaaaaaaaaaaaaaaa', packageUrl: 'pkg:npm/whatever@1.0.0' })).toMatchObject({ licenseIds: ['LicenseRef-acme-proprietary'] });
    const byHash = await server.request('GET', `/api/v2/licenseOverrides/application/${sibling}?hash=aaaaaaaaaaaaaaaaaaaa`);
    expect(byHash.body.licenseOverridesByOwner).toHaveLength(1);
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/application/${sibling}/${res.body.id}`)).status).toBe(204);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = await overrideCount();
    const cases: Array<[unknown, RegExp]> = [
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: ['Apache 2'] }, /"Apache 2" is not a license id; did you mean "Apache-2.0"\?/],
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: ['GPLv2'] }, /did you mean "GPL-2.0/],
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: ['Totally-Made-Up-License'] }, /"Totally-Made-Up-License" is not a known license/],
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: [''] }, /non-empty license ids/],
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN' }, /status OVERRIDDEN needs licenseIds/],
      [{ componentIdentifier: LEFT_PAD, status: 'SELECTED', licenseIds: [] }, /status SELECTED needs licenseIds/],
      [{ componentIdentifier: LEFT_PAD }, /status is required/],
      [{ componentIdentifier: LEFT_PAD, status: 'WAIVED' }, /status "WAIVED" is not one of OPEN, ACKNOWLEDGED, OVERRIDDEN, SELECTED, CONFIRMED/],
      [{ status: 'ACKNOWLEDGED' }, /componentIdentifier is required/],
      [{ componentIdentifier: { format: 'npm', coordinates: { version: '1' } }, status: 'ACKNOWLEDGED' }, /packageId/],
      [{ componentIdentifier: LEFT_PAD, packageUrl: 'pkg:npm/right-pad@1.3.0', status: 'ACKNOWLEDGED' }, /name different components/],
      [{ hash: 'nothex', status: 'ACKNOWLEDGED' }, /not a component hash/],
      [{ ownerId: team, componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' }, /differs from the application/],
      [{ componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED', comment: 'x'.repeat(2001) }, /at most 2000/],
      [{ componentIdentifier: LEFT_PAD, status: 'OVERRIDDEN', licenseIds: 'MIT' }, /licenseIds/],
    ];
    for (const [body, message] of cases) {
      const res = await save('application', app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
    const badQuery = await server.request('GET', `/api/v2/licenseOverrides/application/${app}?componentIdentifier=%7Bnope`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.text).toMatch(/componentIdentifier must be JSON/);
    const owners: Array<[string, string, number, RegExp]> = [
      ['application', 'ffffffffffffffffffffffffffffffff', 404, /Application ffffffffffffffffffffffffffffffff not found/],
      ['organization', 'nope', 404, /Organization nope not found/],
      ['repository', 'r1', 404, /no repositories/],
      ['team', 'x', 400, /ownerType must be organization or application/],
    ];
    for (const [type, id, status, message] of owners) {
      const res = await save(type, id, { componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' });
      expect(res.status, `${type} ${id}`).toBe(status);
      expect(res.text).toMatch(message);
      expect((await applied(type, id, LEFT_PAD)).status).toBe(status);
    }
    expect(await overrideCount()).toBe(before);
  });

  it('needs View IQ Elements to read, Review Legal Obligations for the legal view, Change Licenses to change', async () => {
    const body = { componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' };
    const before = await overrideCount();
    expect((await applied('application', app, LEFT_PAD, '', null as never)).status).toBe(401);
    expect((await save('application', app, body, null as never)).status).toBe(401);
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/application/${app}/x`, { auth: null })).status).toBe(401);

    // A developer reads, but neither changes nor holds the legal reviewer's view.
    expect((await applied('application', app, LEFT_PAD, '', developer)).status).toBe(200);
    const legal = await applied('application', app, LEFT_PAD, '/legalReviewer', developer);
    expect(legal.status).toBe(403);
    expect(legal.text).toMatch(/LEGAL_REVIEWER/);
    const change = await save('application', app, body, developer);
    expect(change.status).toBe(403);
    expect(change.text).toMatch(/CHANGE_LICENSES/);
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/application/${app}/x`, { auth: developer })).status).toBe(403);
    // Someone else's organization's owner sees nothing of this one.
    expect((await applied('application', app, LEFT_PAD, '', outsider)).status).toBe(403);
    expect((await save('application', app, body, outsider)).status).toBe(403);
    expect(await overrideCount()).toBe(before);

    // A legal reviewer of the division, inherited by the application below it.
    expect((await applied('application', app, LEFT_PAD, '/legalReviewer', lawyer)).status).toBe(200);
    const made = await save('application', app, body, lawyer);
    expect(made.status, made.text).toBe(200);
    expect((await server.request('DELETE', `/api/v2/licenseOverrides/application/${app}/${made.body.id}`, { auth: lawyer })).status).toBe(204);
    // …but not above it.
    expect((await save('organization', 'ROOT_ORGANIZATION_ID', body, lawyer)).status).toBe(403);
  });

  it('goes with the application when it is deleted', async () => {
    const doomed = await createApp('doomed-app', team);
    expect((await save('application', doomed, { componentIdentifier: LEFT_PAD, status: 'ACKNOWLEDGED' })).status).toBe(200);
    const before = await overrideCount();
    expect((await server.request('DELETE', `/api/v2/applications/${doomed}`)).status).toBe(204);
    expect(await overrideCount()).toBe(before - 1);
  });
});
