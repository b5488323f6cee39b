import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { ALL_PERMISSIONS, BUILT_IN_ROLES } from '../../src/services/access/permissions.js';
import { createUser } from '../../src/services/access/users.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
const PLAIN: [string, string] = ['plain', 'plain-password'];

beforeAll(async () => {
  server = await startTestServer();
  await createUser(server.ctx, { username: PLAIN[0], password: PLAIN[1] });
});
afterAll(async () => {
  await server?.close();
});

type Category = { displayName: string; permissions: Array<{ id: string; allowed: boolean }> };
const allowedIn = (categories: Category[]) => categories.flatMap((c) => c.permissions.filter((p) => p.allowed).map((p) => p.id)).sort();

/** A role body allowing exactly `ids`, in the shape GET /roles/new gives. */
function withPermissions(ids: string[]): Category[] {
  return [{ displayName: 'any', permissions: ids.map((id) => ({ id, allowed: true })) }];
}

async function roleCount(): Promise<number> {
  return (await server.ctx.store.db.selectFrom('roles').select('id').execute()).length;
}

describe('roles', () => {
  it('lists the built-in roles with their permissions', async () => {
    const res = await server.request('GET', '/api/v2/roles');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roles', 200, res.body);
    expect(res.body.roles.map((r: { name: string }) => r.name).sort()).toEqual(BUILT_IN_ROLES.map((r) => r.name).sort());
    const developer = res.body.roles.find((r: { name: string }) => r.name === 'Developer');
    expect(developer).toMatchObject({ id: builtInRoleId('Developer'), builtIn: true });
    expect(allowedIn(developer.permissionCategories)).toEqual(['CREATE_PULL_REQUESTS', 'EVALUATE_APPLICATION', 'EVALUATE_COMPONENT', 'READ']);

    const one = await server.request('GET', `/api/v2/roles/${builtInRoleId('System Administrator')}`);
    expect(one.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roles/{roleId}', 200, one.body);
    expect(allowedIn(one.body.permissionCategories)).toContain('CONFIGURE_SYSTEM');
    const missing = await server.request('GET', '/api/v2/roles/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/Role 0123456789abcdef0123456789abcdef not found/);
  });

  it('offers a template with every permission category, nothing allowed', async () => {
    const res = await server.request('GET', '/api/v2/roles/new');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/roles/new', 200, res.body);
    expect(res.body.builtIn).toBe(false);
    expect(res.body.id).toBeUndefined();
    expect(res.body.permissionCategories.map((c: Category) => c.displayName)).toEqual(['Administrator', 'IQ', 'Remediation', 'Legal']);
    const ids = res.body.permissionCategories.flatMap((c: Category) => c.permissions.map((p) => p.id));
    expect(ids.sort()).toEqual([...ALL_PERMISSIONS].sort());
    expect(allowedIn(res.body.permissionCategories)).toEqual([]);
  });

  it('creates, changes and deletes a custom role, with its memberships', async () => {
    const template = (await server.request('GET', '/api/v2/roles/new')).body;
    for (const c of template.permissionCategories) for (const p of c.permissions) p.allowed = p.id === 'READ' || p.id === 'CLAIM_COMPONENT';
    const created = await server.request('POST', '/api/v2/roles', { body: { ...template, name: 'Claimer', description: 'Claims components' } });
    expect(created.status).toBe(200);
    expectMatchesReference('POST', '/api/v2/roles', 200, created.body);
    expect(created.body).toMatchObject({ name: 'Claimer', description: 'Claims components', builtIn: false });
    expect(created.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(allowedIn(created.body.permissionCategories)).toEqual(['CLAIM_COMPONENT', 'READ']);
    const id = created.body.id;

    const renamed = await server.request('PUT', `/api/v2/roles/${id}`, { body: { name: 'Component Claimer' } });
    expect(renamed.status).toBe(200);
    expectMatchesReference('PUT', '/api/v2/roles/{roleId}', 200, renamed.body);
    // Fields left out stay as they were.
    expect(renamed.body).toMatchObject({ id, name: 'Component Claimer', description: 'Claims components' });
    expect(allowedIn(renamed.body.permissionCategories)).toEqual(['CLAIM_COMPONENT', 'READ']);

    const narrowed = await server.request('PUT', `/api/v2/roles/${id}`, { body: { id, permissionCategories: withPermissions(['READ']) } });
    expect(allowedIn(narrowed.body.permissionCategories)).toEqual(['READ']);

    // The role works: granted on the root organization, it lets plain read it.
    expect((await server.request('GET', '/api/v2/organizations/ROOT_ORGANIZATION_ID', { auth: PLAIN })).status).toBe(403);
    expect((await server.request('PUT', `/api/v2/roleMemberships/organization/ROOT_ORGANIZATION_ID/role/${id}/USER/plain`)).status).toBe(204);
    expect((await server.request('GET', '/api/v2/organizations/ROOT_ORGANIZATION_ID', { auth: PLAIN })).status).toBe(200);

    expect((await server.request('DELETE', `/api/v2/roles/${id}`)).status).toBe(204);
    expect((await server.request('GET', `/api/v2/roles/${id}`)).status).toBe(404);
    expect(await server.ctx.store.db.selectFrom('role_memberships').select('member_name').where('role_id', '=', id).execute()).toEqual([]);
    expect((await server.request('GET', '/api/v2/organizations/ROOT_ORGANIZATION_ID', { auth: PLAIN })).status).toBe(403);
    expect((await server.request('DELETE', `/api/v2/roles/${id}`)).status).toBe(404);
  });

  it('refuses to change or delete built-in roles', async () => {
    const id = builtInRoleId('Developer');
    const change = await server.request('PUT', `/api/v2/roles/${id}`, { body: { permissionCategories: withPermissions(['CONFIGURE_SYSTEM']) } });
    expect(change.status).toBe(400);
    expect(change.text).toMatch(/Developer is a built-in role and cannot be changed/);
    const del = await server.request('DELETE', `/api/v2/roles/${id}`);
    expect(del.status).toBe(400);
    expect(del.text).toMatch(/built-in role and cannot be deleted/);
    const after = await server.request('GET', `/api/v2/roles/${id}`);
    expect(allowedIn(after.body.permissionCategories)).not.toContain('CONFIGURE_SYSTEM');
  });

  it('rejects bad input with a clear message and stores nothing', async () => {
    const before = await roleCount();
    const cases: Array<[unknown, number, RegExp]> = [
      [{}, 400, /role name is required/],
      [{ name: '   ' }, 400, /role name is required/],
      [{ name: 'x'.repeat(101) }, 400, /at most 100/],
      [{ name: 'Bad', permissionCategories: withPermissions(['FLY']) }, 400, /"FLY" is not a permission id/],
      [{ name: 'Bad', permissionCategories: [{ permissions: [{ allowed: true }] }] }, 400, /every permission needs an id/],
      [{ name: 'Bad', builtIn: true }, 400, /only custom roles/],
      [{ name: 'Bad', id: 'chosen' }, 400, /id is assigned by the server/],
      [{ name: 42 }, 400, /name/],
      [{ name: 'developer' }, 409, /^A role named "Developer" already exists \(role names are compared regardless of case, so "developer" is taken\)$/],
    ];
    for (const [body, status, message] of cases) {
      const res = await server.request('POST', '/api/v2/roles', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    expect(await roleCount()).toBe(before);

    const custom = (await server.request('POST', '/api/v2/roles', { body: { name: 'Auditor', permissionCategories: withPermissions(['ACCESS_AUDIT_LOG']) } })).body;
    const updates: Array<[string, unknown, number, RegExp]> = [
      [custom.id, { name: 'Owner' }, 409, /"Owner" already exists/],
      [custom.id, { id: 'other' }, 400, /does not match role/],
      [custom.id, { permissionCategories: withPermissions(['NOPE']) }, 400, /"NOPE" is not a permission id/],
      [custom.id, { builtIn: true }, 400, /cannot be made built-in/],
      ['0123456789abcdef0123456789abcdef', { name: 'Whatever' }, 404, /not found/],
    ];
    for (const [id, body, status, message] of updates) {
      const res = await server.request('PUT', `/api/v2/roles/${id}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text).toMatch(message);
    }
    const unchanged = await server.request('GET', `/api/v2/roles/${custom.id}`);
    expect(unchanged.body.name).toBe('Auditor');
    expect(allowedIn(unchanged.body.permissionCategories)).toEqual(['ACCESS_AUDIT_LOG']);
  });

  it('needs VIEW_ROLES to view and EDIT_ROLES to change', async () => {
    const id = builtInRoleId('Owner');
    const ops: Array<[string, string, string, unknown?]> = [
      ['GET', '/api/v2/roles', 'VIEW_ROLES'],
      ['GET', `/api/v2/roles/${id}`, 'VIEW_ROLES'],
      ['GET', '/api/v2/roles/new', 'EDIT_ROLES'],
      ['POST', '/api/v2/roles', 'EDIT_ROLES', { name: 'Sneaky' }],
      ['PUT', `/api/v2/roles/${id}`, 'EDIT_ROLES', { name: 'Sneaky' }],
      ['DELETE', `/api/v2/roles/${id}`, 'EDIT_ROLES'],
    ];
    for (const [method, path, permission, body] of ops) {
      expect((await server.request(method, path, { body, auth: null })).status, `${method} ${path}`).toBe(401);
      const res = await server.request(method, path, { body, auth: PLAIN });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).toContain(permission);
    }
    // A custom role with VIEW_ROLES only, granted globally, lets plain view but not edit.
    const viewer = (await server.request('POST', '/api/v2/roles', { body: { name: 'Role Viewer', permissionCategories: withPermissions(['VIEW_ROLES']) } })).body;
    expect((await server.request('PUT', `/api/v2/roleMemberships/global/role/${viewer.id}/USER/plain`)).status).toBe(204);
    expect((await server.request('GET', '/api/v2/roles', { auth: PLAIN })).status).toBe(200);
    expect((await server.request('GET', '/api/v2/roles/new', { auth: PLAIN })).status).toBe(403);
    expect((await server.request('POST', '/api/v2/roles', { body: { name: 'Sneaky' }, auth: PLAIN })).status).toBe(403);
    expect((await server.request('GET', '/api/v2/roles')).body.roles.map((r: { name: string }) => r.name)).not.toContain('Sneaky');
  });
});
