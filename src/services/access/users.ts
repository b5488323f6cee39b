import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { UserTable } from '../../store/tables/foundation.js';
import type { AppContext } from '../../core/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { hashSecret } from './passwords.js';
import { assertAdministratorRemains, systemAdministratorCount } from './role-memberships.js';
import { unlessDuplicate } from '../../store/unique.js';

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
export const MAX_PROFILE_FIELD_LENGTH = 200;
/** The realms the reference names for user look-ups; only Internal users live in Tollgate's own store. */
export const USER_REALMS = ['Internal', 'OAUTH2', 'SAML'] as const;
export const INTERNAL_REALM = 'Internal';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

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

/** Throws a 400 unless `realm` is one the reference allows for users (absent means Internal). */
export function checkRealm(realm: string | undefined, allowed: readonly string[] = USER_REALMS): string {
  const value = realm ?? INTERNAL_REALM;
  if (!allowed.includes(value)) throw new ValidationError(`realm "${value}" is not one of ${allowed.join(', ')}`);
  return value;
}

/** Checks a first name, last name or email when given (or, when `required`, that it is given). */
function checkProfileField(field: 'firstName' | 'lastName' | 'email', value: string | undefined, required: boolean): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) {
    if (required) throw new ValidationError(`${field} is required`);
    return value === undefined ? undefined : '';
  }
  if (trimmed.length > MAX_PROFILE_FIELD_LENGTH) throw new ValidationError(`${field} must be at most ${MAX_PROFILE_FIELD_LENGTH} characters long`);
  if (field === 'email' && !EMAIL_PATTERN.test(trimmed)) throw new ValidationError(`email "${trimmed}" is not an email address`);
  return trimmed;
}

/**
 * Creates an Internal user. The API requires the whole profile (the reference: "all fields except
 * realm are required"); the command line lets names and email be left out.
 */
export async function createUser(ctx: AppContext, input: UserInput, options: { requireProfile?: boolean } = {}): Promise<UserView> {
  const username = input.username?.trim();
  if (!username) throw new ValidationError('username is required');
  if (!USERNAME_PATTERN.test(username)) {
    throw new ValidationError('username may contain only letters, digits, ".", "_", "@" and "-" (at most 100 characters)');
  }
  const required = options.requireProfile ?? false;
  const firstName = checkProfileField('firstName', input.firstName, required);
  const lastName = checkProfileField('lastName', input.lastName, required);
  const email = checkProfileField('email', input.email, required);
  if (!input.password) throw new ValidationError('password is required');
  checkPassword(input.password);
  if (input.realm && input.realm !== INTERNAL_REALM) throw new ValidationError('only users of the Internal realm can be created');
  const now = ctx.now().toISOString();
  const row: UserTable = {
    username,
    first_name: firstName || null,
    last_name: lastName || null,
    email: email || null,
    password_hash: await hashSecret(input.password, ctx.config.passwordHashCost),
    realm: INTERNAL_REALM,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('username').where('username', '=', username).executeTakeFirst();
    const taken = `User ${username} already exists`;
    if (existing) throw new ConflictError(taken);
    await unlessDuplicate(trx.insertInto('users').values(row).execute(), taken);
  });
  return toUserView(row);
}

export async function listUsers(ctx: AppContext, realm?: string): Promise<UserView[]> {
  const rows = await ctx.store.db.selectFrom('users').selectAll().where('realm', '=', checkRealm(realm)).orderBy('username').execute();
  return rows.map(toUserView);
}

async function findUser(db: Kysely<Database>, username: string, realm?: string): Promise<UserTable> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const wanted = checkRealm(realm);
  if (!row || row.realm !== wanted) throw new NotFoundError(`User ${username} not found in realm ${wanted}`);
  return row;
}

export async function getUser(ctx: AppContext, username: string, realm?: string): Promise<UserView> {
  return toUserView(await findUser(ctx.store.db, username, realm));
}

/**
 * Changes an Internal user's names and email; fields left out stay as they are. Username and realm
 * cannot change. A password in the body sets a new one (a Tollgate addition: the reference has no
 * other way to change a password over the API).
 */
export async function updateUser(ctx: AppContext, username: string, input: UserInput): Promise<UserView> {
  const row = await findUser(ctx.store.db, username);
  if (input.username !== undefined && input.username !== username) throw new ValidationError('username cannot be changed');
  if (input.realm !== undefined && input.realm !== row.realm) throw new ValidationError('realm cannot be changed');
  const firstName = checkProfileField('firstName', input.firstName, false);
  const lastName = checkProfileField('lastName', input.lastName, false);
  const email = checkProfileField('email', input.email, false);
  if (input.password !== undefined) checkPassword(input.password);
  const changes: Partial<UserTable> = { updated_at: ctx.now().toISOString() };
  if (firstName !== undefined) changes.first_name = firstName || null;
  if (lastName !== undefined) changes.last_name = lastName || null;
  if (email !== undefined) changes.email = email || null;
  if (input.password !== undefined) changes.password_hash = await hashSecret(input.password, ctx.config.passwordHashCost);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set(changes).where('username', '=', username).execute();
    // A new password signs the user out of every browser: whoever knew the old one is out too.
    if (changes.password_hash) await trx.deleteFrom('sessions').where('username', '=', username).execute();
  });
  return getUser(ctx, username);
}

export async function setPassword(ctx: AppContext, username: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashSecret(password, ctx.config.passwordHashCost);
  await ctx.store.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: ctx.now().toISOString() })
      .where('username', '=', username)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`User ${username} not found`);
    await trx.deleteFrom('sessions').where('username', '=', username).execute();
  });
}

/**
 * Deletes a user with their tokens and role memberships. The last user holding System
 * Administrator globally stays, so that someone can still administer the server.
 */
export async function deleteUser(ctx: AppContext, username: string, realm?: string): Promise<void> {
  await findUser(ctx.store.db, username, realm);
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await systemAdministratorCount(trx);
    await trx.deleteFrom('user_tokens').where('username', '=', username).execute();
    await trx.deleteFrom('role_memberships').where('member_type', '=', 'USER').where('member_name', '=', username).execute();
    await trx.deleteFrom('users').where('username', '=', username).execute();
    await assertAdministratorRemains(trx, before, `User ${username} is the last user with the System Administrator role and cannot be deleted: grant the role to another user first`);
  });
}
