import type { AppContext } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { hashSecret } from './passwords.js';
import type { UserTable } from '../store/tables/foundation.js';

export interface UserInput {
  username?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  password?: string;
  realm?: string;
}

/** A user as the API shows it: never with a password. */
export interface UserView {
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  realm: string;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,100}$/;
export const MIN_PASSWORD_LENGTH = 8;

export function toUserView(row: UserTable): UserView {
  return {
    username: row.username,
    ...(row.first_name !== null ? { firstName: row.first_name } : {}),
    ...(row.last_name !== null ? { lastName: row.last_name } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
    realm: row.realm,
  };
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError(`password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (password.length > 1024) throw new ValidationError('password must be at most 1024 characters long');
}

export async function createUser(ctx: AppContext, input: UserInput): Promise<UserView> {
  const username = input.username?.trim();
  if (!username) throw new ValidationError('username is required');
  if (!USERNAME_PATTERN.test(username)) {
    throw new ValidationError('username may contain only letters, digits, ".", "_", "@" and "-" (at most 100 characters)');
  }
  if (!input.password) throw new ValidationError('password is required');
  checkPassword(input.password);
  if (input.realm && input.realm !== 'Internal') throw new ValidationError('only users of the Internal realm can be created');
  const now = ctx.now().toISOString();
  const row: UserTable = {
    username,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    email: input.email ?? null,
    password_hash: await hashSecret(input.password),
    realm: 'Internal',
    created_at: now,
    updated_at: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('username').where('username', '=', username).executeTakeFirst();
    if (existing) throw new ConflictError(`User ${username} already exists`);
    await trx.insertInto('users').values(row).execute();
  });
  return toUserView(row);
}

export async function getUser(ctx: AppContext, username: string): Promise<UserView> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!row) throw new NotFoundError(`User ${username} not found`);
  return toUserView(row);
}

export async function setPassword(ctx: AppContext, username: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashSecret(password);
  const result = await ctx.store.db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: ctx.now().toISOString() })
    .where('username', '=', username)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`User ${username} not found`);
}
