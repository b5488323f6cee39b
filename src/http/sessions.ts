import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.js';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import type { Principal } from '../services/access/access.js';
import { type Session, createSession, endSession, passwordMatches, sessionOf } from '../services/access/sessions.js';
import { cookieValue } from './cookies.js';
import { loginThrottle } from './login-throttle.js';

/**
 * The web UI's sign-in, as IQ Server's: the session id in an HttpOnly cookie, and the CSRF token in
 * the `CLM-CSRF-TOKEN` cookie, which the page copies into an `X-CSRF-TOKEN` header on every change
 * (a form or script on another site can send the cookies but cannot read them to make the header).
 */
export const SESSION_COOKIE = 'CLMSESSIONID';
export const CSRF_COOKIE = 'CLM-CSRF-TOKEN';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session that authenticated a request, for the CSRF check. */
const sessions = new WeakMap<FastifyRequest, Session>();

/**
 * The caller a session cookie names, when the request carries one (undefined when it carries none).
 * An unknown or expired session is a 401 saying so, which sends the web UI back to its login page.
 */
export async function sessionPrincipal(ctx: AppContext, request: FastifyRequest): Promise<Principal | undefined> {
  const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await sessionOf(ctx, token);
  if (!session) throw new UnauthorizedError('Your session has expired or was ended: log in again.');
  sessions.set(request, session);
  return { username: session.username, groups: [], method: 'session' };
}

/**
 * A data-changing request authenticated by a session must carry its CSRF token in X-CSRF-TOKEN,
 * and the CLM-CSRF-TOKEN cookie with the same value. True when the request was a session's.
 */
export function checkSessionCsrf(request: FastifyRequest): boolean {
  const session = sessions.get(request);
  if (!session) return false;
  if (SAFE_METHODS.has(request.method)) return true;
  const header = request.headers['x-csrf-token'];
  const cookie = cookieValue(request.headers.cookie, CSRF_COOKIE);
  if (typeof header !== 'string' || header !== session.csrfToken || cookie !== session.csrfToken) {
    throw new ForbiddenError('CSRF protection: send an X-CSRF-TOKEN header equal to the CLM-CSRF-TOKEN cookie with this request.');
  }
  return true;
}

/** The session's CSRF token, for GET /api/v2/session (the page may also read the cookie). */
export function sessionOfRequest(request: FastifyRequest): Session | undefined {
  return sessions.get(request);
}

/**
 * Signs in with a username and password through the login throttle (the same counts as Basic
 * sign-ins), then starts a session and sets its cookies. Throws 401 (wrong) or 429 (throttled).
 */
export async function signIn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, username: string, password: string): Promise<Session> {
  const throttle = loginThrottle(ctx);
  const throttled = await throttle.check(username, request.ip);
  const user = await passwordMatches(ctx, username, password);
  if (!user) {
    await throttle.failed(username, request.ip);
    throw new UnauthorizedError('Invalid username or password.');
  }
  await throttle.succeeded(username, throttled);
  const session = await createSession(ctx, user, request.ip);
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('Set-Cookie', [
    `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Lax${secure}`,
    `${CSRF_COOKIE}=${session.csrfToken}; Path=/; SameSite=Lax${secure}`,
  ]);
  sessions.set(request, session);
  return session;
}

/** Ends the request's session, if it has one, and clears the cookies either way. */
export async function signOut(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (token) await endSession(ctx, token);
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('Set-Cookie', [
    `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`,
    `${CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0${secure}`,
  ]);
}
