import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { newId } from '../../src/core/ids.js';
import { createUser } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
const PLAIN: [string, string] = ['plain', 'plain-password'];
const OWNER_USER: [string, string] = ['olivia', 'olivia-password'];
const DEV = builtInRoleId('Developer');
const OWNER = builtInRoleId('Owner');
const SYSADMIN = builtInRoleId('System Administrator');
const BASE = '/api/v2/roleMemberships';
let eng: string;
let platform: string;
let sales: string;
let appId: string;

type Mapping = { roleId: string; members: Array<{ ownerId: string; ownerType: string; type: string; userOrGroupName: string }> };
const membersOf = (body: { memberMappings: Mapping[] }, roleId: string) => body.memberMappings.find((m) => m.roleId === roleId)?.members ?? [];

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, password] of [PLAIN, OWNER_USER, ['dev1', 'dev1-password']]) {
    await createUser(server.ctx, { username: name, password, firstName: name === 'dev1' ? 'Dev' : undefined, lastName: name === 'dev1' ? 'One' : undefined, email: `${name}@example.com` });
  }
  eng = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Engineering' } })).body.id;
  platform = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Platform', parentOrganizationId: eng } })).body.id;
  sales = (await server.request('POST', '/api/v2/organizations', { body: { name: 'Sales' } })).body.id;
  appId = newId();
  await server.ctx.store.db
    .insertInto('applications')
    .values({ id: appId, public_id: 'shop', name: 'Shop', organization_id: platform, contact_user_name: null, created_at: new Date().toISOString() })
    .execute();
});
afterAll(async () => {
  await server?.close();
});

describe('global role memberships', () => {
  it('shows who holds which role globally', async () => {
    const res = await server.request('GET', `${BASE}/global`);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roleMemberships/{ownerType}', 200, res.body);
    expect(membersOf(res.body, SYSADMIN)).toEqual([{ ownerId: 'global', ownerType: 'global', type: 'USER', userOrGroupName: 'admin' }]);

    const detailed = await server.request('GET', `${BASE}/global/roles`);
    expect(detailed.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roleMemberships/{ownerType}/roles', 200, detailed.body);
    expect(detailed.body.groupSearchEnabled).toBe(false);
    expect(detailed.body.membersByRole).toHaveLength(7);
    const sysadmin = detailed.body.membersByRole.find((r: { roleId: string }) => r.roleId === SYSADMIN);
    expect(sysadmin).toMatchObject({ roleName: 'System Administrator' });
    expect(sysadmin.membersByOwner).toEqual([
      {
        ownerId: 'global',
        ownerName: 'Global',
        ownerType: 'global',
        members: [{ type: 'USER', internalName: 'admin', displayName: 'Admin BuiltIn', email: 'admin@localhost', realm: 'Internal' }],
      },
    ]);
  });

  it('grants, replaces and revokes global roles, keeping the last System Administrator', async () => {
    const auditor = (await server.request('POST', '/api/v2/roles', { body: { name: 'Auditor', permissionCategories: [{ permissions: [{ id: 'ACCESS_AUDIT_LOG', allowed: true }] }] } })).body.id;
    expect((await server.request('PUT', `${BASE}/global/role/${auditor}/USER/plain`)).status).toBe(204);
    expect((await server.request('PUT', `${BASE}/global/role/${auditor}/user/plain`)).status).toBe(204); // idempotent, any case
    expect(membersOf((await server.request('GET', `${BASE}/global`)).body, auditor)).toEqual([
      { ownerId: 'global', ownerType: 'global', type: 'USER', userOrGroupName: 'plain' },
    ]);
    const set = await server.request('PUT', `${BASE}/global/role/${auditor}/members`, { body: [{ type: 'GROUP', internalName: 'auditors' }, { type: 'USER', internalName: 'dev1' }] });
    expect(set.status).toBe(204);
    expect(membersOf((await server.request('GET', `${BASE}/global`)).body, auditor).map((m) => `${m.type}:${m.userOrGroupName}`).sort()).toEqual(['GROUP:auditors', 'USER:dev1']);
    expect((await server.request('DELETE', `${BASE}/global/role/${auditor}/GROUP/auditors`)).status).toBe(204);
    const again = await server.request('DELETE', `${BASE}/global/role/${auditor}/GROUP/auditors`);
    expect(again.status).toBe(404);
    expect(again.text).toMatch(/Group auditors does not hold role Auditor on the global context/);
    expect((await server.request('PUT', `${BASE}/global/role/${auditor}/members`, { body: [] })).status).toBe(204);
    expect(membersOf((await server.request('GET', `${BASE}/global`)).body, auditor)).toEqual([]);

    const revoke = await server.request('DELETE', `${BASE}/global/role/${SYSADMIN}/USER/admin`);
    expect(revoke.status).toBe(409);
    expect(revoke.text).toMatch(/At least one user must keep the System Administrator role/);
    for (const body of [[], [{ type: 'GROUP', internalName: 'admins' }]]) {
      expect((await server.request('PUT', `${BASE}/global/role/${SYSADMIN}/members`, { body })).status).toBe(409);
    }
    expect(membersOf((await server.request('GET', `${BASE}/global`)).body, SYSADMIN)).toEqual([
      { ownerId: 'global', ownerType: 'global', type: 'USER', userOrGroupName: 'admin' },
    ]);
  });

  it('needs CONFIGURE_SYSTEM', async () => {
    const ops: Array<[string, string, unknown?]> = [
      ['GET', `${BASE}/global`],
      ['GET', `${BASE}/global/roles`],
      ['PUT', `${BASE}/global/role/${SYSADMIN}/members`, [{ type: 'USER', internalName: 'plain' }]],
      ['PUT', `${BASE}/global/role/${SYSADMIN}/USER/plain`],
      ['DELETE', `${BASE}/global/role/${SYSADMIN}/USER/admin`],
    ];
    for (const [method, path, body] of ops) {
      expect((await server.request(method, path, { body, auth: null })).status, `${method} ${path}`).toBe(401);
      const res = await server.request(method, path, { body, auth: PLAIN });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toMatch(/CONFIGURE_SYSTEM/);
    }
    expect(membersOf((await server.request('GET', `${BASE}/global`)).body, SYSADMIN).map((m) => m.userOrGroupName)).toEqual(['admin']);
  });
});

describe('organization and application role memberships', () => {
  it('grants on an organization and shows it, inherited, on children and applications', async () => {
    expect((await server.request('PUT', `${BASE}/organization/${eng}/role/${DEV}/USER/dev1?validateMember=true`)).status).toBe(204);

    const own = await server.request('GET', `${BASE}/organization/${eng}`);
    expect(own.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roleMemberships/{ownerType}/{internalOwnerId}', 200, own.body);
    expect(membersOf(own.body, DEV)).toEqual([{ ownerId: eng, ownerType: 'organization', type: 'USER', userOrGroupName: 'dev1' }]);
    // admin owns the root organization: inherited here, and marked as coming from the root.
    expect(membersOf(own.body, OWNER)).toEqual([{ ownerId: 'ROOT_ORGANIZATION_ID', ownerType: 'organization', type: 'USER', userOrGroupName: 'admin' }]);

    const child = await server.request('GET', `${BASE}/organization/${platform}`);
    expect(membersOf(child.body, DEV)).toEqual([{ ownerId: eng, ownerType: 'organization', type: 'USER', userOrGroupName: 'dev1' }]);
    expect(membersOf((await server.request('GET', `${BASE}/organization/${sales}`)).body, DEV)).toEqual([]);

    // Applications by public id or internal id; their own grants come first.
    expect((await server.request('PUT', `${BASE}/application/shop/role/${DEV}/GROUP/shop-devs`)).status).toBe(204);
    for (const id of ['shop', appId]) {
      const app = await server.request('GET', `${BASE}/application/${id}`);
      expect(app.status).toBe(200);
      expectMatchesReference('GET', '/api/v2/roleMemberships/{ownerType}/{internalOwnerId}', 200, app.body);
      expect(membersOf(app.body, DEV)).toEqual([
        { ownerId: appId, ownerType: 'application', type: 'GROUP', userOrGroupName: 'shop-devs' },
        { ownerId: eng, ownerType: 'organization', type: 'USER', userOrGroupName: 'dev1' },
      ]);
    }

    const detailed = await server.request('GET', `${BASE}/application/shop/roles`);
    expect(detailed.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roleMemberships/{ownerType}/{internalOwnerId}/roles', 200, detailed.body);
    const developer = detailed.body.membersByRole.find((r: { roleId: string }) => r.roleId === DEV);
    expect(developer).toMatchObject({ roleName: 'Developer', roleDescription: expect.any(String) });
    expect(developer.membersByOwner).toEqual([
      { ownerId: appId, ownerName: 'Shop', ownerType: 'application', members: [{ type: 'GROUP', internalName: 'shop-devs', displayName: 'shop-devs' }] },
      {
        ownerId: eng,
        ownerName: 'Engineering',
        ownerType: 'organization',
        members: [{ type: 'USER', internalName: 'dev1', displayName: 'Dev One', email: 'dev1@example.com', realm: 'Internal' }],
      },
    ]);
    const owner = detailed.body.membersByRole.find((r: { roleId: string }) => r.roleId === OWNER);
    expect(owner.membersByOwner.map((o: { ownerName: string }) => o.ownerName)).toEqual(['Root Organization']);

    expect((await server.request('DELETE', `${BASE}/application/${appId}/role/${DEV}/GROUP/shop-devs`)).status).toBe(204);
    expect((await server.request('DELETE', `${BASE}/organization/${eng}/role/${DEV}/USER/dev1`)).status).toBe(204);
    expect(membersOf((await server.request('GET', `${BASE}/organization/${platform}`)).body, DEV)).toEqual([]);
    const absent = await server.request('DELETE', `${BASE}/organization/${eng}/role/${DEV}/USER/dev1`);
    expect(absent.status).toBe(404);
    expect(absent.text).toMatch(/User dev1 does not hold role Developer on organization/);
  });

  it('replaces all members of a role on an owner at once', async () => {
    const path = `${BASE}/organization/${sales}/role/${DEV}/members`;
    expect((await server.request('PUT', path, { body: [{ type: 'USER', internalName: 'dev1' }, { type: 'GROUP', internalName: 'sales' }] })).status).toBe(204);
    const names = async () => membersOf((await server.request('GET', `${BASE}/organization/${sales}`)).body, DEV).map((m) => `${m.type}:${m.userOrGroupName}`).sort();
    expect(await names()).toEqual(['GROUP:sales', 'USER:dev1']);
    // One unknown user: nothing changes.
    const bad = await server.request('PUT', path, { body: [{ type: 'USER', internalName: 'plain' }, { type: 'USER', internalName: 'ghost' }] });
    expect(bad.status).toBe(404);
    expect(bad.text).toMatch(/User ghost not found/);
    expect(await names()).toEqual(['GROUP:sales', 'USER:dev1']);
    expect((await server.request('PUT', path, { body: [{ type: 'USER', internalName: 'plain' }] })).status).toBe(204);
    expect(await names()).toEqual(['USER:plain']);
    expect((await server.request('PUT', path, { body: [] })).status).toBe(204);
    expect(await names()).toEqual([]);
  });

  it('rejects unknown owners, roles, members and malformed input, storing nothing', async () => {
    const count = async () => (await server.ctx.store.db.selectFrom('role_memberships').select('role_id').execute()).length;
    const before = await count();
    const missingOrg = '0123456789abcdef0123456789abcdef';
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['PUT', `${BASE}/organization/${missingOrg}/role/${DEV}/USER/dev1`, undefined, 404, /Organization 0123456789abcdef0123456789abcdef not found/],
      ['PUT', `${BASE}/application/no-such-app/role/${DEV}/USER/dev1`, undefined, 404, /Application no-such-app not found/],
      ['PUT', `${BASE}/organization/${eng}/role/${missingOrg}/USER/dev1`, undefined, 404, /Role 0123456789abcdef0123456789abcdef not found/],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/USER/ghost`, undefined, 404, /User ghost not found/],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/ROBOT/r2d2`, undefined, 400, /member type "ROBOT" is not one of USER, GROUP/],
      ['PUT', `${BASE}/repository/r1/role/${DEV}/USER/dev1`, undefined, 400, /Tollgate has no repositories/],
      ['PUT', `${BASE}/repository_container/role/${DEV}/USER/dev1`, undefined, 400, /Tollgate has no repositories/],
      ['PUT', `${BASE}/planet/${eng}/role/${DEV}/USER/dev1`, undefined, 400, /owner type "planet" is not one of/],
      ['PUT', `${BASE}/global/${eng}/role/${DEV}/USER/dev1`, undefined, 400, /global role memberships have no owner id/],
      ['PUT', `${BASE}/organization/role/${DEV}/USER/dev1`, undefined, 400, /owner type organization needs an owner id/],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/members`, [{ internalName: 'dev1' }], 400, /member type is required/],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/members`, [{ type: 'USER' }], 400, /member name is required/],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/members`, { type: 'USER', internalName: 'dev1' }, 400, /must be array/],
      ['GET', `${BASE}/organization/${missingOrg}`, undefined, 404, /not found/],
      ['GET', `${BASE}/repository_container`, undefined, 400, /Tollgate has no repositories/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await server.request(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.text, `${method} ${path}`).toMatch(message);
    }
    expect(await count()).toBe(before);
  });

  it('needs READ to view and EDIT_ACCESS_CONTROL to change, inherited down the tree', async () => {
    const ops: Array<[string, string, string, unknown?]> = [
      ['GET', `${BASE}/organization/${eng}`, 'READ'],
      ['GET', `${BASE}/organization/${eng}/roles`, 'READ'],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/members`, 'EDIT_ACCESS_CONTROL', [{ type: 'USER', internalName: 'plain' }]],
      ['PUT', `${BASE}/organization/${eng}/role/${DEV}/USER/plain`, 'EDIT_ACCESS_CONTROL'],
      ['DELETE', `${BASE}/organization/ROOT_ORGANIZATION_ID/role/${OWNER}/USER/admin`, 'EDIT_ACCESS_CONTROL'],
      ['GET', `${BASE}/application/shop`, 'READ'],
    ];
    for (const [method, path, permission, body] of ops) {
      expect((await server.request(method, path, { body, auth: null })).status, `${method} ${path}`).toBe(401);
      const res = await server.request(method, path, { body, auth: PLAIN });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toContain(permission);
    }

    // olivia owns Engineering: she manages access there and below, not on Sales.
    expect((await server.request('PUT', `${BASE}/organization/${eng}/role/${OWNER}/USER/olivia`)).status).toBe(204);
    expect((await server.request('PUT', `${BASE}/organization/${platform}/role/${DEV}/USER/plain`, { auth: OWNER_USER })).status).toBe(204);
    expect((await server.request('PUT', `${BASE}/application/shop/role/${DEV}/USER/dev1`, { auth: OWNER_USER })).status).toBe(204);
    expect((await server.request('GET', `${BASE}/organization/${platform}/roles`, { auth: OWNER_USER })).status).toBe(200);
    expect((await server.request('PUT', `${BASE}/organization/${sales}/role/${DEV}/USER/plain`, { auth: OWNER_USER })).status).toBe(403);
    expect((await server.request('PUT', `${BASE}/global/role/${SYSADMIN}/USER/olivia`, { auth: OWNER_USER })).status).toBe(403);

    // plain, now a Developer on Platform, can view its memberships but not change them.
    expect((await server.request('GET', `${BASE}/organization/${platform}`, { auth: PLAIN })).status).toBe(200);
    expect((await server.request('GET', `${BASE}/application/shop/roles`, { auth: PLAIN })).status).toBe(200);
    const denied = await server.request('PUT', `${BASE}/organization/${platform}/role/${OWNER}/USER/plain`, { auth: PLAIN });
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/EDIT_ACCESS_CONTROL/);
    expect((await server.request('GET', `${BASE}/organization/${eng}`, { auth: PLAIN })).status).toBe(403);
  });
});
