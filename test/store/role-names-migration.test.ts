import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { migratorFor } from '../../src/store/migrate.js';
import { isUniqueViolation } from '../../src/store/unique.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The index that makes role names unique regardless of case, on the database itself: names left
 * differing only by case (by a race before it) are renamed rather than stopping the migration, and
 * afterwards the database refuses such a name even from a write that skips the service's check.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const MIGRATION = '20261208_0300_role_names_nocase';

describe('role names unique regardless of case (migration)', () => {
  it('renames names that differ only by case, keeps memberships, then refuses new ones', async () => {
    const migrator = await migratorFor(server.ctx.store);
    const names = (await migrator.getMigrations()).map((m) => m.name);
    const before = names[names.indexOf(MIGRATION) - 1] as string;
    const down = await migrator.migrateTo(before);
    expect(down.error).toBeUndefined();
    const db = server.ctx.store.db;
    const role = (id: string, name: string) => ({ id, name, description: '', built_in: 0, permissions: '[]' });
    await db.insertInto('roles').values([role('r1', 'developer'), role('r2', 'DEVELOPER'), role('r3', 'Team Lead'), role('r4', 'team lead'), role('r5', 'team lead (2)')]).execute();
    await db.insertInto('role_memberships').values({ owner_type: 'global', owner_id: 'global', role_id: 'r2', member_type: 'USER', member_name: 'admin' }).execute();

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const stored = Object.fromEntries((await db.selectFrom('roles').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
    // The built-in Developer keeps its name; the others are numbered in name order, past a name taken.
    expect(stored[builtInRoleId('Developer')]).toBe('Developer');
    expect([stored.r1, stored.r2].sort()).toEqual(['DEVELOPER (2)', 'developer (3)']);
    expect([stored.r3, stored.r4, stored.r5]).toEqual(['Team Lead', 'team lead (3)', 'team lead (2)']);
    const membership = await db.selectFrom('role_memberships').select('role_id').where('member_name', '=', 'admin').where('role_id', '=', 'r2').execute();
    expect(membership).toHaveLength(1);

    const refused = await db
      .insertInto('roles')
      .values(role('r6', 'tEAM lEAD'))
      .execute()
      .then(() => undefined, (err: unknown) => err);
    expect(isUniqueViolation(refused)).toBe(true);
    // Over HTTP the same name is a 409 that names the role holding it.
    const res = await server.request('POST', '/api/v2/roles', { body: { name: 'developer (2)' } });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/^A role named "DEVELOPER \(2\)" already exists \(role names are compared regardless of case/);
  });
});
