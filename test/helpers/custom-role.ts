import type { AppContext } from '../../src/services/context.js';
import { newId } from '../../src/services/ids.js';
import type { Permission } from '../../src/services/permissions.js';
import { createUser } from '../../src/services/users.js';

/**
 * A local user holding exactly `permissions` globally, through a custom role made for them
 * (no permissions at all when the list is empty). Returns the credentials.
 */
export async function userWith(ctx: AppContext, username: string, permissions: Permission[]): Promise<[string, string]> {
  const password = `${username}-secret-1`;
  await createUser(ctx, { username, password });
  if (permissions.length) {
    const roleId = newId();
    await ctx.store.db
      .insertInto('roles')
      .values({ id: roleId, name: `role of ${username}`, description: 'test role', built_in: 0, permissions: JSON.stringify(permissions) })
      .execute();
    await ctx.store.db
      .insertInto('role_memberships')
      .values({ owner_type: 'global', owner_id: 'global', role_id: roleId, member_type: 'USER', member_name: username })
      .execute();
  }
  return [username, password];
}
