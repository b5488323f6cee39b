import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../services/access/access.js';
import type { AppContext } from '../core/context.js';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import { dummyHash, verifySecret } from '../services/access/passwords.js';
import { loginThrottle } from './login-throttle.js';
import { REVERSE_PROXY_SETTING, type ReverseProxyAuthentication } from '../services/access/reverse-proxy.js';
import { getSetting } from '../services/admin/settings.js';

// The configuration itself lives in services/access/reverse-proxy.ts (its API: api/reverse-proxy.ts).
export { REVERSE_PROXY_SETTING, type ReverseProxyAuthentication };

/**
 * Verified Basic credentials, kept a minute so that clients sending them on every request do not
 * pay for scrypt each time. Keys are SHA-256 digests: the secrets themselves are never kept. Each
 * entry remembers the stored hash it was verified against, and a hit is used only while the
 * database still holds that hash (one indexed read instead of scrypt): a password or token
 * changed by any path — the API, `tollgate user passwd` in another process, another server on
 * the same database — stops working at once. forgetCredentials empties the cache as well.
 */
interface Verified {
  principal: Principal;
  until: number;
  expiresAt: string | null;
  /** What was verified: a user's password or a token's pass code, and the hash stored for it then. */
  kind: 'password' | 'token';
  name: string;
  hash: string;
}
const verified = new Map<string, Verified>();
const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;

export function forgetCredentials(): void {
  verified.clear();
}

/** True while the stored secret a cache entry was verified against is unchanged (and a token unexpired). */
async function stillStored(ctx: AppContext, entry: Verified): Promise<boolean> {
  const { db } = ctx.store;
  if (entry.kind === 'password') {
    const user = await db.selectFrom('users').select('password_hash').where('username', '=', entry.name).executeTakeFirst();
    return user?.password_hash === entry.hash;
  }
  const token = await db.selectFrom('user_tokens').select(['pass_code_hash', 'expires_at']).where('user_code', '=', entry.name).executeTakeFirst();
  return token?.pass_code_hash === entry.hash && (!token.expires_at || token.expires_at > ctx.now().toISOString());
}

function parseBasic(header: string): { name: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

async function verifyBasic(ctx: AppContext, name: string, secret: string): Promise<Omit<Verified, 'until'> | undefined> {
  const { db } = ctx.store;
  let checked = false;
  const user = await db.selectFrom('users').select(['username', 'password_hash']).where('username', '=', name).executeTakeFirst();
  if (user?.password_hash) {
    checked = true;
    if (await verifySecret(secret, user.password_hash)) {
      return { principal: { username: user.username, groups: [], method: 'password' }, expiresAt: null, kind: 'password', name, hash: user.password_hash };
    }
  }
  // A user token: the user code stands where the username would, the pass code as the password.
  const token = await db.selectFrom('user_tokens').selectAll().where('user_code', '=', name).executeTakeFirst();
  if (token && (!token.expires_at || token.expires_at > ctx.now().toISOString())) {
    checked = true;
    if (await verifySecret(secret, token.pass_code_hash)) {
      // Shown as lastAccessTime; the credential cache keeps this to one write per token a minute.
      await db.updateTable('user_tokens').set({ last_access_at: ctx.now().toISOString() }).where('user_code', '=', token.user_code).execute();
      return {
        principal: { username: token.username, groups: [], method: 'token' },
        expiresAt: token.expires_at,
        kind: 'token',
        name,
        hash: token.pass_code_hash,
      };
    }
  }
  // Nothing to check the secret against (an unknown name, an expired token, a user without a
  // password): the same scrypt against a dummy hash of the configured cost, so that the refusal
  // takes as long as a wrong password's and does not tell which names exist.
  if (!checked) await verifySecret(secret, await dummyHash(ctx.config.passwordHashCost));
  return undefined;
}

/** Who is calling: Basic credentials, a user token, or the reverse proxy's header when enabled. */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const proxy = await getSetting<ReverseProxyAuthentication>(ctx.store.db, REVERSE_PROXY_SETTING);
  if (proxy?.enabled && proxy.usernameHeader) {
    const name = request.headers[proxy.usernameHeader.toLowerCase()];
    if (typeof name === 'string' && name !== '') {
      const user = await ctx.store.db.selectFrom('users').select('username').where('username', '=', name).executeTakeFirst();
      if (!user) throw new UnauthorizedError(`User ${name} named by the reverse proxy is not known to Tollgate.`);
      return { username: user.username, groups: [], method: 'proxy' };
    }
  }
  const header = request.headers.authorization;
  if (!header) throw new UnauthorizedError('Authentication required: send HTTP Basic credentials (username and password, or a user token).');
  const credentials = parseBasic(header);
  if (!credentials) throw new UnauthorizedError('The Authorization header is not valid HTTP Basic authentication.');
  // Before the cache: a refused name or address is refused whatever it sends, until its window passes.
  const throttle = loginThrottle(ctx);
  const throttled = await throttle.check(credentials.name, request.ip);
  const key = createHash('sha256').update(header).digest('hex');
  const cached = verified.get(key);
  const now = Date.now();
  // A cached token still stops working the moment it expires (by the application's clock).
  if (cached && cached.until > now && (!cached.expiresAt || cached.expiresAt > ctx.now().toISOString())) {
    if (await stillStored(ctx, cached)) return cached.principal;
    verified.delete(key);
  }
  const result = await verifyBasic(ctx, credentials.name, credentials.secret);
  if (!result) {
    await throttle.failed(credentials.name, request.ip);
    throw new UnauthorizedError('Invalid username or password.');
  }
  await throttle.succeeded(credentials.name, throttled);
  if (verified.size >= CACHE_MAX) verified.clear();
  verified.set(key, { ...result, until: now + CACHE_MS });
  return result.principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * While reverse proxy authentication is on, a data-changing request must carry an X-CSRF-TOKEN
 * header equal to its CLM-CSRF-TOKEN cookie (the value itself does not matter).
 */
export async function checkCsrf(ctx: AppContext, request: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return;
  const proxy = await getSetting<ReverseProxyAuthentication>(ctx.store.db, REVERSE_PROXY_SETTING);
  if (!proxy?.enabled || proxy.csrfProtectionDisabled) return;
  const header = request.headers['x-csrf-token'];
  const cookie = cookieValue(request.headers.cookie, 'CLM-CSRF-TOKEN');
  if (typeof header !== 'string' || header === '' || cookie === undefined || header !== cookie) {
    throw new ForbiddenError('CSRF protection: send an X-CSRF-TOKEN header equal to the CLM-CSRF-TOKEN cookie with this request.');
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookie(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A cookie value's %-decoding; a value that is not valid %-encoding counts as no value (no token). */
function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
