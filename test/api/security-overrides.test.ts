import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinateHash, fromPackageUrl } from '../../src/ecosystems/identity.js';
import { securityOverridesFor } from '../../src/services/decisions/security-overrides.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';

let server: TestServer;
let division: string;
let team: string;
let app: string;
let elsewhereApp: string;
let developer: [string, string];
let teamDeveloper: [string, string];


const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId, `${publicId} app`);

const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar';
const LOG4J_HASH = coordinateHash(fromPackageUrl(LOG4J));
const save = (ownerType: string, ownerId: string, body: unknown, auth?: [string, string] | null) =>
  server.request('POST', `/api/v2/securityOverrides/${ownerType}/${ownerId}`, { body, auth });
const list = (query = '', auth?: [string, string]) => server.request('GET', `/api/v2/securityOverrides${query}`, { auth });
const count = async () => Number((await server.ctx.store.db.selectFrom('security_overrides').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
/** A POST answer is one item of the reference's listing. */
const expectReferenceItem = (item: unknown) => expectMatchesReference('GET', '/api/v2/securityOverrides', 200, { securityOverrides: [item] });

beforeAll(async () => {
  server = await startTestServer();
  division = await createOrg('Division');
  team = await createOrg('Team', division);
  app = await createApp('shop', team);
  elsewhereApp = await createApp('other', await createOrg('Elsewhere'));
  developer = await userWithRole(server, 'dev', 'Developer', 'organization', 'ROOT_ORGANIZATION_ID');
  teamDeveloper = await userWithRole(server, 'team-dev', 'Developer', 'organization', team);
});
afterAll(async () => {
  await server?.close();
});

describe('security vulnerability overrides', () => {
  let onApp: string;
  let onDivision: string;

  it('sets statuses per owner and lists them in the reference shape', async () => {
    const mine = await save('application', app, { referenceId: 'cve-2021-44228', status: 'Not Applicable', comment: 'JNDI lookups disabled', packageUrl: LOG4J });
    expect(mine.status, mine.text).toBe(200);
    expectReferenceItem(mine.body);
    expect(mine.body).toEqual({
      securityOverrideId: expect.stringMatching(/^[0-9a-f]{32}$/),
      referenceId: 'CVE-2021-44228',
      hash: LOG4J_HASH,
      status: 'NOT_APPLICABLE',
      comment: 'JNDI lookups disabled',
      owner: { ownerId: app, ownerName: 'shop app', ownerPublicId: 'shop', ownerType: 'application' },
      currentlyAffectedComponents: [],
    });
    onApp = mine.body.securityOverrideId;
    // For every component of the division; and another vulnerability elsewhere.
    const every = await save('organization', division, { referenceId: 'CVE-2021-44228', status: 'ACKNOWLEDGED' });
    expect(every.status, every.text).toBe(200);
    expect(every.body.hash).toBeUndefined();
    expect(every.body.owner).toEqual({ ownerId: division, ownerName: 'Division', ownerType: 'organization' });
    onDivision = every.body.securityOverrideId;
    expect((await save('application', elsewhereApp, { referenceId: 'sonatype-2021-4682', status: 'CONFIRMED', hash: 'BBBBBBBBBBBBBBBBBBBB' })).status).toBe(200);

    const all = await list();
    expect(all.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/securityOverrides', 200, all.body);
    expect(all.body.securityOverrides.map((o: { referenceId: string; status: string }) => [o.referenceId, o.status])).toEqual([
      ['CVE-2021-44228', 'NOT_APPLICABLE'],
      ['CVE-2021-44228', 'ACKNOWLEDGED'],
      ['sonatype-2021-4682', 'CONFIRMED'],
    ]);

    // Saving the same vulnerability and component again changes the override in place.
    const changed = await save('application', app, { referenceId: 'CVE-2021-44228', status: 'CONFIRMED', componentIdentifier: fromPackageUrl(LOG4J) });
    expect(changed.body.securityOverrideId).toBe(onApp);
    expect(changed.body.status).toBe('CONFIRMED');
    expect(changed.body.comment).toBeUndefined();
    expect(await count()).toBe(3);
    await save('application', app, { referenceId: 'CVE-2021-44228', status: 'NOT_APPLICABLE', packageUrl: LOG4J });
  });

  it('filters by vulnerability, component and owner', async () => {
    const ids = (res: { body: { securityOverrides: Array<{ securityOverrideId: string }> } }) => res.body.securityOverrides.map((o) => o.securityOverrideId);
    expect((await list('?refId=sonatype-2021-4682')).body.securityOverrides).toHaveLength(1);
    const byRef = ids(await list('?refId=cve-2021-44228'));
    expect(byRef).toHaveLength(2);
    expect(byRef).toEqual(expect.arrayContaining([onApp, onDivision]));
    // By component: its own overrides and those for every component.
    const byPurl = await list(`?componentPurl=${encodeURIComponent('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1')}`);
    expectMatchesReference('GET', '/api/v2/securityOverrides', 200, byPurl.body);
    expect(ids(byPurl)).toEqual(expect.arrayContaining([onApp, onDivision]));
    expect(byPurl.body.securityOverrides).toHaveLength(2);
    expect(ids(await list(`?componentPurl=${encodeURIComponent('pkg:npm/left-pad@1.3.0')}`))).toEqual([onDivision]);
    // By owner: the application's own first, then inherited.
    expect(ids(await list(`?ownerId=${app}`))).toEqual([onApp, onDivision]);
    expect(ids(await list(`?ownerId=${team}`))).toEqual([onDivision]);
    expect(ids(await list(`?ownerId=${app}&refId=sonatype-2021-4682`))).toEqual([]);
    const unknown = await list('?ownerId=nope');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/No organization or application has the id nope/);
    expect((await list('?componentPurl=not-a-purl')).status).toBe(400);
    expect((await list('?refId=%20drop%20table')).status).toBe(400);
  });

  it('gives evaluation the override in effect: nearest owner, then the component’s own before every component’s', async () => {
    let index = await securityOverridesFor(server.ctx, app);
    expect(index.get('CVE-2021-44228', { packageUrl: LOG4J })).toMatchObject({ id: onApp, status: 'NOT_APPLICABLE', distance: 0 });
    expect(index.get('CVE-2021-44228', { hash: LOG4J_HASH })).toMatchObject({ id: onApp });
    expect(index.get('CVE-2021-44228', { packageUrl: 'pkg:npm/left-pad@1.3.0' })).toMatchObject({ id: onDivision, status: 'ACKNOWLEDGED', distance: 2 });
    expect(index.get('CVE-2099-0001', { packageUrl: LOG4J })).toBeUndefined();
    expect((await securityOverridesFor(server.ctx, elsewhereApp)).get('sonatype-2021-4682', { hash: 'bbbbbbbbbbbbbbbbbbbb' })).toMatchObject({ status: 'CONFIRMED' });

    const deleted = await server.request('DELETE', `/api/v2/securityOverrides/application/${app}/${onApp}`);
    expect(deleted.status).toBe(204);
    index = await securityOverridesFor(server.ctx, app);
    expect(index.get('CVE-2021-44228', { packageUrl: LOG4J })).toMatchObject({ id: onDivision });
    expect((await server.request('DELETE', `/api/v2/securityOverrides/application/${app}/${onApp}`)).status).toBe(404);
    // Not through another owner either.
    expect((await server.request('DELETE', `/api/v2/securityOverrides/organization/${team}/${onDivision}`)).status).toBe(404);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = await count();
    const cases: Array<[unknown, RegExp]> = [
      [{ status: 'ACKNOWLEDGED' }, /referenceId is required/],
      [{ referenceId: 'log4shell', status: 'ACKNOWLEDGED' }, /"log4shell" is not a vulnerability reference id/],
      [{ referenceId: 'CVE-2021-44228' }, /status is required/],
      [{ referenceId: 'CVE-2021-44228', status: 'WAIVED' }, /status "WAIVED" is not one of OPEN, ACKNOWLEDGED, NOT_APPLICABLE, CONFIRMED/],
      [{ referenceId: 'CVE-2021-44228', status: 'OPEN', hash: 'xyz' }, /not a component hash/],
      [{ referenceId: 'CVE-2021-44228', status: 'OPEN', packageUrl: 'pkg:' }, /purl|package URL/i],
      [{ referenceId: 'CVE-2021-44228', status: 'OPEN', packageUrl: LOG4J, componentIdentifier: fromPackageUrl('pkg:npm/x@1') }, /name different components/],
      [{ referenceId: 'CVE-2021-44228', status: 'OPEN', comment: 'x'.repeat(2001) }, /at most 2000/],
      [{ referenceId: 7, status: 'OPEN' }, /referenceId/],
    ];
    for (const [body, message] of cases) {
      const res = await save('application', app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
    expect((await save('application', 'ffffffffffffffffffffffffffffffff', { referenceId: 'CVE-2021-44228', status: 'OPEN' })).status).toBe(404);
    expect((await save('repository_manager', 'x', { referenceId: 'CVE-2021-44228', status: 'OPEN' })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('shows only what the caller may view and needs Change Security Vulnerabilities to change', async () => {
    const body = { referenceId: 'CVE-2021-44228', status: 'OPEN' };
    expect((await list('', null as never)).status).toBe(401);
    expect((await save('application', app, body, null)).status).toBe(401);
    const before = await count();
    const denied = await save('application', app, body, developer);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/CHANGE_SECURITY_VULNERABILITIES/);
    expect((await server.request('DELETE', `/api/v2/securityOverrides/organization/${division}/${onDivision}`, { auth: developer })).status).toBe(403);
    expect(await count()).toBe(before);

    // A developer of the whole tree sees everything; one of the team sees nothing stored on the
    // division or elsewhere in the listing, but sees the division's through the application.
    expect((await list('', developer)).body.securityOverrides).toHaveLength(2);
    expect((await list('', teamDeveloper)).body.securityOverrides).toEqual([]);
    expect((await list(`?ownerId=${app}`, teamDeveloper)).body.securityOverrides.map((o: { securityOverrideId: string }) => o.securityOverrideId)).toEqual([onDivision]);
    expect((await list(`?ownerId=${elsewhereApp}`, teamDeveloper)).status).toBe(403);
  });
});
