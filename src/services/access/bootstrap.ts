import type { AppContext } from '../../core/context.js';
import { ROOT_ORGANIZATION_ID, stableId } from '../../core/ids.js';
import { DEFAULT_HASH_COST, hashSecret, verifySecret } from './passwords.js';
import { BUILT_IN_ROLES } from './permissions.js';

export const DEFAULT_ADMIN = 'admin';
export const DEFAULT_ADMIN_PASSWORD = 'admin123';

export function builtInRoleId(name: string): string {
  return stableId(`role:${name}`);
}

/**
 * Makes sure what every installation has exists: the root organization, the built-in roles (kept
 * in step with this release's permissions) and, on an empty database, the `admin` user with the
 * System Administrator role and ownership of the root organization.
 */
export async function bootstrap(ctx: AppContext): Promise<void> {
  const now = ctx.now().toISOString();
  // scrypt is slow by design: hash the initial password only for a database without users (every
  // start and every CLI command that opens the database comes here), and outside the transaction.
  const empty = !(await ctx.store.db.selectFrom('users').select('username').limit(1).executeTakeFirst());
  const adminHash = empty ? await hashSecret(ctx.config.initialAdminPassword, ctx.config.passwordHashCost) : undefined;
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organizations')
      .values({ id: ROOT_ORGANIZATION_ID, name: 'Root Organization', parent_id: null, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    for (const role of BUILT_IN_ROLES) {
      const values = {
        id: builtInRoleId(role.name),
        name: role.name,
        description: role.description,
        built_in: 1,
        permissions: JSON.stringify(role.permissions),
      };
      await trx
        .insertInto('roles')
        .values(values)
        .onConflict((oc) => oc.column('id').doUpdateSet({ description: values.description, permissions: values.permissions }))
        .execute();
    }
    const anyUser = await trx.selectFrom('users').select('username').limit(1).executeTakeFirst();
    if (!anyUser) {
      await trx
        .insertInto('users')
        .values({
          username: DEFAULT_ADMIN,
          first_name: 'Admin',
          last_name: 'BuiltIn',
          email: 'admin@localhost',
          password_hash: adminHash ?? (await hashSecret(ctx.config.initialAdminPassword, ctx.config.passwordHashCost)),
          realm: 'Internal',
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const [ownerType, ownerId, role] of [
        ['global', 'global', 'System Administrator'],
        ['organization', ROOT_ORGANIZATION_ID, 'Owner'],
      ] as const) {
        await trx
          .insertInto('role_memberships')
          .values({ owner_type: ownerType, owner_id: ownerId, role_id: builtInRoleId(role), member_type: 'USER', member_name: DEFAULT_ADMIN })
          .execute();
      }
      ctx.log.info('created user admin with the System Administrator role');
    }
  });
  if (ctx.config.passwordHashCost < DEFAULT_HASH_COST) {
    ctx.log.warn(
      `passwordHashCost is ${ctx.config.passwordHashCost}, below the default ${DEFAULT_HASH_COST}: new password and token hashes are ` +
        `${2 ** (DEFAULT_HASH_COST - ctx.config.passwordHashCost)} times cheaper to guess (a setting for tests)`,
    );
  }
  const admin = await ctx.store.db.selectFrom('users').select('password_hash').where('username', '=', DEFAULT_ADMIN).executeTakeFirst();
  if (admin && (await verifySecret(DEFAULT_ADMIN_PASSWORD, admin.password_hash))) {
    // The log names no password, not even the well-known default one.
    ctx.log.warn('user admin still has the default password: change it (PUT /api/v2/users/admin or `tollgate user passwd admin`)');
  }
}
