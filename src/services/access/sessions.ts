import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import { dummyHash, verifySecret } from './passwords.js';

/**
 * Web UI sessions, as IQ Server's: signing in with a username and password makes a session whose
 * random id travels in an HttpOnly cookie, with a CSRF token the page sends back in the
 * X-CSRF-TOKEN header of every change (http/sessions.ts sets the cookies and checks the header).
 * Only a digest of the id is stored, so the table's contents cannot be used to sign in. A session
 * ends `sessions.timeoutMinutes` after its last request (sliding), at log-out, or when its user is
 * deleted (foreign key).
 */
export interface Session {
  username: string;
  csrfToken: string;
  expiresAt: string;
}

/** Sliding expiry is written at most this often per session (one write per minute, not per request). */
const TOUCH_MS = 60_000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function timeoutMs(ctx: AppContext): number {
  return ctx.config.sessions.timeoutMinutes * 60_000;
}

/**
 * True when `password` is the user's. An unknown user or one without a password costs the same
 * scrypt against a dummy hash, so the answer takes as long and says nothing of which names exist.
 */
export async function passwordMatches(ctx: AppContext, username: string, password: string): Promise<string | undefined> {
  const user = await ctx.store.db.selectFrom('users').select(['username', 'password_hash']).where('username', '=', username).executeTakeFirst();
  if (!user?.password_hash) {
    await verifySecret(password, await dummyHash(ctx.config.passwordHashCost));
    return undefined;
  }
  return (await verifySecret(password, user.password_hash)) ? user.username : undefined;
}

/** A new session for `username`: its id (for the cookie; not kept) and CSRF token. */
export async function createSession(ctx: AppContext, username: string, remoteAddress: string): Promise<Session & { token: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + timeoutMs(ctx)).toISOString();
  const { db } = ctx.store;
  // Sessions nobody ended are forgotten as new ones start (indexed on expires_at).
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('sessions')
    .values({
      id_hash: digest(token),
      username,
      csrf_token: csrfToken,
      remote_address: remoteAddress,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, username, csrfToken, expiresAt };
}

/** The live session a cookie's value names (its expiry moved on), or undefined. */
export async function sessionOf(ctx: AppContext, token: string): Promise<Session | undefined> {
  const { db } = ctx.store;
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', digest(token)).executeTakeFirst();
  const now = ctx.now();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  let expiresAt = row.expires_at;
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_MS) {
    expiresAt = new Date(now.getTime() + timeoutMs(ctx)).toISOString();
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString(), expires_at: expiresAt }).where('id_hash', '=', row.id_hash).execute();
  }
  return { username: row.username, csrfToken: row.csrf_token, expiresAt };
}

/** Ends the session a cookie's value names (nothing when there is none). */
export async function endSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.store.db.deleteFrom('sessions').where('id_hash', '=', digest(token)).execute();
}

/** What the web UI shows of the signed-in user. */
export async function sessionUser(ctx: AppContext, username: string): Promise<{ username: string; firstName: string | null; lastName: string | null; email: string | null }> {
  const user = await ctx.store.db.selectFrom('users').select(['username', 'first_name', 'last_name', 'email']).where('username', '=', username).executeTakeFirst();
  return { username, firstName: user?.first_name ?? null, lastName: user?.last_name ?? null, email: user?.email ?? null };
}
