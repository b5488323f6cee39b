import { Type } from 'typebox';
import { authenticated } from '../http/permissions.js';
import { signIn, signOut, sessionOfRequest } from '../http/sessions.js';
import type { TollgateApp } from '../http/types.js';
import { sessionUser } from '../services/access/sessions.js';
import { PlainText } from './dto/common.js';

const tags = ['Tollgate Sessions'];

/** Who is signed in, as the web UI shows it; `csrfToken` only for a session (X-CSRF-TOKEN). */
const SessionDTO = Type.Object({
  username: Type.String(),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  /** How this request was authenticated: session, password, token or proxy. */
  authentication: Type.String(),
  csrfToken: Type.Optional(Type.String()),
  /** When the session ends unless used before (sliding). */
  expiresAt: Type.Optional(Type.String()),
});

/**
 * Web UI sign-in (Tollgate's own operations; IQ Server's UI signs in the same way): a session in
 * an HttpOnly cookie with a CSRF token (http/sessions.ts). Basic, user tokens and reverse-proxy
 * authentication are unaffected.
 */
export default async function sessionRoutes(app: TollgateApp): Promise<void> {
  app.post(
    '/api/v2/session',
    {
      schema: {
        tags,
        summary: 'Log in: starts a web UI session (session cookie and CLM-CSRF-TOKEN cookie)',
        description:
          'Checks the username and password (through the sign-in throttle) and sets an HttpOnly, SameSite=Lax session cookie (Secure over HTTPS) and the CLM-CSRF-TOKEN cookie. ' +
          'Every data-changing request made with the session must send the token in an X-CSRF-TOKEN header. The session ends after sessions.timeoutMinutes without a request.',
        body: Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String() }, { additionalProperties: false }),
        response: { 200: SessionDTO, 400: PlainText, 401: PlainText, 429: PlainText },
      },
      // Public: it is how a browser authenticates. Audited as the user it signed in.
      config: { public: true, tollgate: true, audit: 'session.login' },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const session = await signIn(app.ctx, request, reply, username, password);
      request.principal = { username: session.username, groups: [], method: 'session' };
      return { ...(await sessionUser(app.ctx, session.username)), authentication: 'session', csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  );

  app.get(
    '/api/v2/session',
    {
      schema: { tags, summary: 'Who is signed in (the web UI asks on start; 401 when nobody is)', response: { 200: SessionDTO, 401: PlainText } },
      config: { tollgate: true, permission: authenticated('the caller themselves') },
    },
    async (request) => {
      const principal = request.principal!;
      const session = sessionOfRequest(request);
      return {
        ...(await sessionUser(app.ctx, principal.username)),
        authentication: principal.method,
        ...(session ? { csrfToken: session.csrfToken, expiresAt: session.expiresAt } : {}),
      };
    },
  );

  app.delete(
    '/api/v2/session',
    {
      schema: { tags, summary: 'Log out: ends the web UI session and clears its cookies', response: { 204: Type.Null(), 401: PlainText, 403: PlainText } },
      config: { tollgate: true, permission: authenticated('ends the caller’s own session'), audit: 'session.logout' },
    },
    async (request, reply) => {
      await signOut(app.ctx, request, reply);
      return reply.status(204).send(null);
    },
  );
}
