import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { createUser } from '../../src/services/access/users.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { grantRole } from '../helpers/users.js';

// Tollgate's own endpoints (the reference has none for license threat groups), so bodies are
// checked against Tollgate's documented shape rather than the reference schema.

let server: TestServer;
let org: string;
let child: string;
let appId: string;
const base = '/api/v2/licenseThreatGroups';
const DEV: [string, string] = ['ltg-dev', 'dev-password-1'];
const OUTSIDER: [string, string] = ['ltg-outsider', 'outsider-password-1'];

interface Group {
  id: string;
  name: string;
  nameLowercaseNoWhitespace: string;
  ownerId: string;
  ownerType: string;
  threatLevel: number;
  licenseIds: string[];
}

async function groupCount(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('license_threat_groups').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  server = await startTestServer();
  org = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Licensing Org' } })).body.id;
  child = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Licensing Child', parentOrganizationId: org } })).body.id;
  // No applications API yet: the application is made in the store.
  appId = newId();
  await server.ctx.store.db
    .insertInto('applications')
    .values({ id: appId, public_id: 'ltg-app', name: 'LTG App', organization_id: child, contact_user_name: null, created_at: new Date().toISOString() })
    .execute();
  await createUser(server.ctx, { username: DEV[0], password: DEV[1], firstName: 'Dev', lastName: 'Eloper', email: 'dev@example.com' });
  await createUser(server.ctx, { username: OUTSIDER[0], password: OUTSIDER[1], firstName: 'Out', lastName: 'Sider', email: 'out@example.com' });
  await grantRole(server, DEV[0], 'Developer', 'organization', org);
});
afterAll(async () => {
  await server?.close();
});

describe('license threat groups', () => {
  it('gives the root organization the default groups', async () => {
    const res = await server.request('GET', `${base}/organization/ROOT_ORGANIZATION_ID`);
    expect(res.status).toBe(200);
    const [root] = res.body.licenseThreatGroupsByOwner;
    expect(res.body.licenseThreatGroupsByOwner).toHaveLength(1);
    expect(root).toMatchObject({ ownerId: 'ROOT_ORGANIZATION_ID', ownerName: 'Root Organization', ownerType: 'organization', inherited: false });
    const byName = new Map<string, Group>(root.licenseThreatGroups.map((g: Group) => [g.name, g]));
    expect([...byName.keys()].sort()).toEqual(
      ['Banned', 'Commercial', 'Copyleft', 'Liberal', 'Non Standard', 'Sonatype Informational', 'Sonatype Special Licenses', 'Weak Copyleft'].sort(),
    );
    expect(byName.get('Banned')).toMatchObject({ threatLevel: 10, nameLowercaseNoWhitespace: 'banned' });
    expect(byName.get('Banned')!.licenseIds).toContain('AGPL-3.0-only');
    expect(byName.get('Weak Copyleft')).toMatchObject({ threatLevel: 2, nameLowercaseNoWhitespace: 'weakcopyleft' });
    expect(byName.get('Liberal')!.licenseIds).toEqual(expect.arrayContaining(['MIT', 'Apache-2.0', 'BSD-3-Clause']));
    expect(res.body.effectiveLicenseThreatGroups.map((g: Group) => g.name)[0]).toBe('Banned');
  });

  it('inherits groups down the tree, and lets a lower owner override one by name', async () => {
    const inherited = await server.request('GET', `${base}/application/${appId}`);
    expect(inherited.status).toBe(200);
    expect(inherited.body.licenseThreatGroupsByOwner.map((o: { ownerId: string; inherited: boolean }) => [o.ownerId, o.inherited])).toEqual([
      [appId, false],
      [child, true],
      [org, true],
      ['ROOT_ORGANIZATION_ID', true],
    ]);
    expect(inherited.body.effectiveLicenseThreatGroups).toHaveLength(8);

    // The org makes Weak Copyleft stricter, under another spelling of the same name.
    const created = await server.request('POST', `${base}/organization/${org}`, {
      body: { name: 'weak  copyleft', threatLevel: 6, licenseIds: ['LGPL-2.1-only', 'mpl-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'] },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'weak  copyleft', nameLowercaseNoWhitespace: 'weakcopyleft', ownerId: org, ownerType: 'organization', threatLevel: 6 });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);
    // Case slips are fixed, the list is kept sorted.
    expect(created.body.licenseIds).toEqual(['GPL-2.0-only WITH Classpath-exception-2.0', 'LGPL-2.1-only', 'MPL-2.0']);

    const below = await server.request('GET', `${base}/application/${appId}`);
    const weak = below.body.effectiveLicenseThreatGroups.filter((g: Group) => g.nameLowercaseNoWhitespace === 'weakcopyleft');
    expect(weak).toHaveLength(1);
    expect(weak[0]).toMatchObject({ ownerId: org, threatLevel: 6 });
    // The root still has its own.
    const root = await server.request('GET', `${base}/organization/ROOT_ORGANIZATION_ID`);
    expect(root.body.effectiveLicenseThreatGroups.find((g: Group) => g.nameLowercaseNoWhitespace === 'weakcopyleft').threatLevel).toBe(2);

    // Classification under the app uses the override: MPL-2.0 now 6; EPL-2.0 is not in it any more.
    const mpl = await server.request('GET', `${base}/application/${appId}/classification?license=${encodeURIComponent('MPL-2.0 AND MIT')}`);
    expect(mpl.status).toBe(200);
    expect(mpl.body).toMatchObject({ threatLevel: 6, licenseThreatGroupName: 'weak  copyleft', licenseThreatGroupCategory: 'severe', unassignedLicenses: [] });
    const epl = await server.request('GET', `${base}/application/${appId}/classification?license=EPL-2.0`);
    expect(epl.body).toMatchObject({ threatLevel: null, licenseThreatGroupName: null, unassignedLicenses: ['EPL-2.0'] });

    // Deleting the override brings the inherited group back.
    expect((await server.request('DELETE', `${base}/organization/${org}/${created.body.id}`)).status).toBe(204);
    const again = await server.request('GET', `${base}/application/${appId}/classification?license=MPL-2.0`);
    expect(again.body).toMatchObject({ threatLevel: 2, licenseThreatGroupName: 'Weak Copyleft', licenseThreatGroupCategory: 'moderate' });
  });

  it('classifies expressions: OR least, AND most threatening, with corrections reported', async () => {
    const res = await server.request('GET', `${base}/organization/${org}/classification?license=${encodeURIComponent('(GPLv2 OR MIT) AND Apache 2')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      license: '(GPLv2 OR MIT) AND Apache 2',
      normalizedLicense: '(GPL-2.0-only OR MIT) AND Apache-2.0',
      corrections: [
        { from: 'GPLv2', to: 'GPL-2.0-only' },
        { from: 'Apache 2', to: 'Apache-2.0' },
      ],
      threatLevel: 0,
      licenseThreatGroupName: 'Liberal',
      licenseThreatGroupCategory: 'no-threat',
      licenses: [
        { licenseId: 'MIT', licenseThreatGroupName: 'Liberal', licenseThreatGroupLevel: 0 },
        { licenseId: 'Apache-2.0', licenseThreatGroupName: 'Liberal', licenseThreatGroupLevel: 0 },
      ],
      unassignedLicenses: [],
    });
    const agpl = await server.request('GET', `${base}/organization/${org}/classification?license=${encodeURIComponent('MIT AND AGPL-3.0-or-later')}`);
    expect(agpl.body).toMatchObject({ threatLevel: 10, licenseThreatGroupName: 'Banned', licenseThreatGroupCategory: 'critical' });
    const bad = await server.request('GET', `${base}/organization/${org}/classification?license=MIT%20AND`);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/"MIT AND" is not a license expression/);
    expect((await server.request('GET', `${base}/organization/${org}/classification`)).status).toBe(400);
  });

  it('updates a group: name, level and the whole license list', async () => {
    const created = await server.request('POST', `${base}/application/${appId}`, { body: { name: 'Audit', threatLevel: 3, licenseIds: ['MIT'] } });
    expect(created.status).toBe(200);
    const id = created.body.id;
    const renamed = await server.request('PUT', `${base}/application/${appId}/${id}`, { body: { name: 'Needs Audit', threatLevel: 4 } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Needs Audit', threatLevel: 4, licenseIds: ['MIT'], ownerType: 'application' });
    const relisted = await server.request('PUT', `${base}/application/${appId}/${id}`, { body: { licenseIds: ['ISC', 'Zlib'] } });
    expect(relisted.body).toMatchObject({ name: 'Needs Audit', threatLevel: 4, licenseIds: ['ISC', 'Zlib'] });
    // ISC is now both Liberal (0) and Needs Audit (4): the most threatening speaks for it.
    const isc = await server.request('GET', `${base}/application/${appId}/classification?license=ISC`);
    expect(isc.body).toMatchObject({ threatLevel: 4, licenseThreatGroupName: 'Needs Audit' });
    expect((await server.request('DELETE', `${base}/application/${appId}/${id}`)).status).toBe(204);
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = await groupCount();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ threatLevel: 3 }, 400, /name is required/],
      [{ name: '   ', threatLevel: 3 }, 400, /name is required/],
      [{ name: 'x'.repeat(201), threatLevel: 3 }, 400, /at most 200/],
      [{ name: 'No level' }, 400, /threatLevel is required/],
      [{ name: 'Too high', threatLevel: 11 }, 400, /whole number from 0 to 10, not 11/],
      [{ name: 'Fraction', threatLevel: 2.5 }, 400, /whole number from 0 to 10/],
      [{ name: 'Typed', threatLevel: '5' }, 400, /threatLevel/],
      [{ name: 'Unknown', threatLevel: 3, licenseIds: ['MIT', 'Made-Up-License'] }, 400, /"Made-Up-License" is not an SPDX license id/],
      [{ name: 'Sloppy', threatLevel: 3, licenseIds: ['Apache 2'] }, 400, /"Apache 2" is not a license id; did you mean "Apache-2.0"\?/],
      [{ name: 'Expression', threatLevel: 3, licenseIds: ['MIT OR ISC'] }, 400, /is an expression/],
      [{ name: 'Banned', threatLevel: 3 }, 409, /already exists/],
      [{ name: ' BANNED ', threatLevel: 3 }, 409, /already exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await server.request('POST', `${base}/organization/ROOT_ORGANIZATION_ID`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
    const good = await server.request('POST', `${base}/organization/${org}`, { body: { name: 'Keep', threatLevel: 1 } });
    const clash = await server.request('POST', `${base}/organization/${org}`, { body: { name: 'Other', threatLevel: 1 } });
    const rename = await server.request('PUT', `${base}/organization/${org}/${clash.body.id}`, { body: { name: 'keep' } });
    expect(rename.status).toBe(409);
    const badUpdate = await server.request('PUT', `${base}/organization/${org}/${good.body.id}`, { body: { threatLevel: -1 } });
    expect(badUpdate.status).toBe(400);
    expect((await server.request('GET', `${base}/organization/${org}`)).body.licenseThreatGroupsByOwner[0].licenseThreatGroups.map((g: Group) => [g.name, g.threatLevel]))
      .toEqual([['Keep', 1], ['Other', 1]]);
    await server.request('DELETE', `${base}/organization/${org}/${good.body.id}`);
    await server.request('DELETE', `${base}/organization/${org}/${clash.body.id}`);
    expect(await groupCount()).toBe(before);
  });

  it('answers 404 for unknown owners and groups, and 400 for owner types without groups', async () => {
    expect((await server.request('GET', `${base}/organization/0123456789abcdef0123456789abcdef`)).status).toBe(404);
    expect((await server.request('GET', `${base}/application/0123456789abcdef0123456789abcdef`)).status).toBe(404);
    const repo = await server.request('GET', `${base}/repository/abc`);
    expect(repo.status).toBe(400);
    expect(repo.text).toMatch(/organizations and applications/);
    // A group of the root is not found through another owner.
    const root = await server.request('GET', `${base}/organization/ROOT_ORGANIZATION_ID`);
    const bannedId = root.body.licenseThreatGroupsByOwner[0].licenseThreatGroups[0].id;
    const wrongOwner = await server.request('PUT', `${base}/organization/${org}/${bannedId}`, { body: { threatLevel: 1 } });
    expect(wrongOwner.status).toBe(404);
    expect((await server.request('DELETE', `${base}/organization/${org}/nope`)).status).toBe(404);
  });

  it('needs credentials, READ to view and WRITE to edit', async () => {
    expect((await server.request('GET', `${base}/organization/${org}`, { auth: null })).status).toBe(401);
    expect((await server.request('POST', `${base}/organization/${org}`, { auth: null, body: { name: 'x', threatLevel: 1 } })).status).toBe(401);
    // The developer sees groups at its organization and below, but not at the root, and edits none.
    expect((await server.request('GET', `${base}/organization/${org}`, { auth: DEV })).status).toBe(200);
    expect((await server.request('GET', `${base}/application/${appId}`, { auth: DEV })).status).toBe(200);
    expect((await server.request('GET', `${base}/application/${appId}/classification?license=MIT`, { auth: DEV })).status).toBe(200);
    const rootRead = await server.request('GET', `${base}/organization/ROOT_ORGANIZATION_ID`, { auth: DEV });
    expect(rootRead.status).toBe(403);
    expect(rootRead.text).toMatch(/READ/);
    const before = await groupCount();
    const write = await server.request('POST', `${base}/organization/${org}`, { auth: DEV, body: { name: 'Mine', threatLevel: 1 } });
    expect(write.status).toBe(403);
    expect(write.text).toMatch(/WRITE/);
    expect((await server.request('GET', `${base}/organization/${org}`, { auth: OUTSIDER })).status).toBe(403);
    expect(await groupCount()).toBe(before);
    // Granted Owner on the child organization, the user edits there and below.
    await grantRole(server, DEV[0], 'Owner', 'organization', child);
    const own = await server.request('POST', `${base}/application/${appId}`, { auth: DEV, body: { name: 'Mine', threatLevel: 1 } });
    expect(own.status).toBe(200);
    expect((await server.request('DELETE', `${base}/application/${appId}/${own.body.id}`, { auth: DEV })).status).toBe(204);
  });

  it('records changes in the audit log', async () => {
    const created = await server.request('POST', `${base}/organization/${org}`, { body: { name: 'Audited', threatLevel: 1 } });
    await server.request('DELETE', `${base}/organization/${org}/${created.body.id}`);
    const actions = (await server.ctx.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['licenseThreatGroup.create', 'licenseThreatGroup.delete']));
  });
});
