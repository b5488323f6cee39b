import { randomBytes, randomInt } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { hashSecret } from './passwords.js';
import { getUserTokenConfiguration } from './user-token-config.js';
import { checkRealm } from './users.js';

/** A user token as the API shows it; the pass code only in the reply that created it. */
export interface UserTokenView {
  userCode: string;
  passCode?: string;
  username: string;
  realm: string;
  createTime: string;
  expirationDate?: string;
  lastAccessTime?: string;
}

/** Realms the reference names for token look-ups. */
export const TOKEN_REALMS = ['Internal', 'SAML', 'OAUTH2', 'Crowd'] as const;

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const USER_CODE_LENGTH = 8;
const DAY_MS = 86_400_000;

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

interface TokenRow {
  user_code: string;
  username: string;
  created_at: string;
  expires_at: string | null;
  last_access_at: string | null;
  realm: string;
}

function toView(row: TokenRow): UserTokenView {
  return {
    userCode: row.user_code,
    username: row.username,
    realm: row.realm,
    createTime: row.created_at,
    ...(row.expires_at ? { expirationDate: row.expires_at } : {}),
    ...(row.last_access_at ? { lastAccessTime: row.last_access_at } : {}),
  };
}

function tokensWithRealm(ctx: AppContext) {
  return ctx.store.db
    .selectFrom('user_tokens as t')
    .innerJoin('users as u', 'u.username', 't.username')
    .select(['t.user_code', 't.username', 't.created_at', 't.expires_at', 't.last_access_at', 'u.realm']);
}

/**
 * Issues a new token to a user, replacing the one they had (a user holds one token at a time). It
 * expires after the configured number of days, if any. The pass code is in this reply only.
 */
export async function createUserToken(ctx: AppContext, username: string): Promise<UserTokenView> {
  const passCode = randomBytes(30).toString('base64url');
  const passCodeHash = await hashSecret(passCode, ctx.config.passwordHashCost);
  const { userTokenDefaultExpirationDays: days } = await getUserTokenConfiguration(ctx);
  const now = ctx.now();
  const createdAt = now.toISOString();
  const expiresAt = days ? new Date(now.getTime() + days * DAY_MS).toISOString() : null;
  let userCode = '';
  let realm = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('realm').where('username', '=', username).executeTakeFirst();
    if (!user) throw new NotFoundError(`User ${username} not found`);
    realm = user.realm;
    do userCode = newUserCode();
    while (await trx.selectFrom('user_tokens').select('user_code').where('user_code', '=', userCode).executeTakeFirst());
    await trx.deleteFrom('user_tokens').where('username', '=', username).execute();
    await trx
      .insertInto('user_tokens')
      .values({ user_code: userCode, username, pass_code_hash: passCodeHash, created_at: createdAt, expires_at: expiresAt })
      .execute();
  });
  return { userCode, passCode, username, realm, createTime: createdAt, ...(expiresAt ? { expirationDate: expiresAt } : {}) };
}

/** The token a user holds, if any (expired ones included: they show when they ran out). */
export async function findUserToken(ctx: AppContext, username: string): Promise<UserTokenView | undefined> {
  const row = await tokensWithRealm(ctx).where('t.username', '=', username).orderBy('t.created_at', 'desc').executeTakeFirst();
  return row ? toView(row) : undefined;
}

export async function getUserToken(ctx: AppContext, username: string, realm?: string): Promise<UserTokenView> {
  const wanted = checkRealm(realm, TOKEN_REALMS);
  const token = await findUserToken(ctx, username);
  if (!token || token.realm !== wanted) throw new NotFoundError(`User ${username} of realm ${wanted} has no user token`);
  return token;
}

/** Deletes every token of a user; false when they had none. */
export async function deleteTokensOf(ctx: AppContext, username: string): Promise<boolean> {
  const result = await ctx.store.db.deleteFrom('user_tokens').where('username', '=', username).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteTokenByUserCode(ctx: AppContext, userCode: string): Promise<void> {
  const result = await ctx.store.db.deleteFrom('user_tokens').where('user_code', '=', userCode).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`No user token has user code ${userCode}`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const time = DATE.test(value) ? Date.parse(`${value}T00:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(time)) throw new ValidationError(`${name} must be a date in yyyy-mm-dd format, not "${value}"`);
  return new Date(time).toISOString();
}

/**
 * Tokens of a realm's users created in a date range: createdAfter from the start of that day (UTC),
 * createdBefore up to the start of that day.
 */
export async function listUserTokens(
  ctx: AppContext,
  filter: { createdAfter?: string; createdBefore?: string; realm?: string },
): Promise<UserTokenView[]> {
  const realm = checkRealm(filter.realm, TOKEN_REALMS);
  const after = dayStart('createdAfter', filter.createdAfter);
  const before = dayStart('createdBefore', filter.createdBefore);
  let query = tokensWithRealm(ctx).where('u.realm', '=', realm).orderBy('t.created_at').orderBy('t.user_code');
  if (after) query = query.where('t.created_at', '>=', after);
  if (before) query = query.where('t.created_at', '<', before);
  return (await query.execute()).map(toView);
}

/** Deletes the tokens of LDAP users. Tollgate has no LDAP realm of its own, so only users imported as LDAP have any. */
export async function purgeLdapTokens(ctx: AppContext): Promise<number> {
  const ldapUsers = ctx.store.db.selectFrom('users').select('username').where('realm', '=', 'LDAP');
  const result = await ctx.store.db.deleteFrom('user_tokens').where('username', 'in', ldapUsers).executeTakeFirst();
  return Number(result.numDeletedRows);
}
