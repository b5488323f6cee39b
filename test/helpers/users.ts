import { builtInRoleId } from '../../src/services/access/bootstrap.js';
import { newId } from '../../src/core/ids.js';
import type { Permission } from '../../src/services/access/permissions.js';
import { createUser } from '../../src/services/access/users.js';
import type { TestServer } from './server.js';

export const TEST_PASSWORD = 'password123';

/** Grants a built-in role to a user on an owner, writing the membership straight to the store. */
export async function grantRole(server: TestServer, username: string, role: string, ownerType = 'organization', ownerId = 'ROOT_ORGANIZATION_ID'): Promise<void> {
  await server.ctx.store.db
    .insertInto('role_memberships')
    .values({ owner_type: ownerType, owner_id: ownerId, role_id: builtInRoleId(role), member_type: 'USER', member_name: username })
    .execute();
}

/** A new user holding `role` on an owner (or no role at all), as Basic credentials. */
export async function userWithRole(
  server: TestServer,
  username: string,
  role: string | null,
  ownerType = 'organization',
  ownerId = 'ROOT_ORGANIZATION_ID',
): Promise<[string, string]> {
  await createUser(server.ctx, { username, password: TEST_PASSWORD });
  if (role) await grantRole(server, username, role, ownerType, ownerId);
  return [username, TEST_PASSWORD];
}

/**
 * A new user holding exactly `permissions` globally, through a custom role made for them: for
 * permissions no built-in role holds alone (Access Audit Log without Edit System Configuration …).
 */
export async function userWithPermissions(server: TestServer, username: string, permissions: Permission[]): Promise<[string, string]> {
  await createUser(server.ctx, { username, password: TEST_PASSWORD });
  const roleId = newId();
  await server.ctx.store.db
    .insertInto('roles')
    .values({ id: roleId, name: `role of ${username}`, description: 'test role', built_in: 0, permissions: JSON.stringify(permissions) })
    .execute();
  await server.ctx.store.db
    .insertInto('role_memberships')
    .values({ owner_type: 'global', owner_id: 'global', role_id: roleId, member_type: 'USER', member_name: username })
    .execute();
  return [username, TEST_PASSWORD];
}
