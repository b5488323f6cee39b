import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { type Scope, requirePermission } from '../services/access/access.js';
import { recordAudit } from '../services/admin/audit.js';
import { type ChangeScope, withinChange } from '../core/initiator.js';
import { announceJobQueued } from '../jobs/queue.js';
import type { AppContext } from '../core/context.js';
import { UnauthorizedError } from '../core/errors.js';
import type { Permission } from '../services/access/permissions.js';
import { dummyHash } from '../services/access/passwords.js';
import { IDEMPOTENT_REPLAYED_HEADER } from '../services/evaluation/idempotency.js';
import { PRODUCT_VERSION } from '../version.js';
import { authenticate, checkCsrf } from './auth.js';
import { acceptClientInput } from './client-input.js';
import { errorHandler } from './errors.js';
import { checkRoutePermission, declarationError, describePermission, needsDeclaration } from './permissions.js';
import { refuseNulInput } from './input-guard.js';
import { registerOpenApi } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import type { RouteEntry, TollgateApp } from './types.js';
import { limitUploads } from './upload-budget.js';
import { registerWebUi, webFallback } from './web.js';
import { validatorCompiler } from './validation.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Route modules: every file in api/ whose default export is a Fastify plugin. */
async function loadRouteModules(): Promise<Array<{ name: string; plugin: FastifyPluginAsync }>> {
  const folder = new URL('../api/', import.meta.url);
  const files = (await readdir(folder)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const modules = [];
  for (const file of files) {
    const mod = (await import(new URL(file, folder).href)) as { default?: FastifyPluginAsync };
    if (typeof mod.default === 'function') modules.push({ name: file, plugin: mod.default });
  }
  return modules;
}

/** The version, the server's name and no content sniffing: on every answer, whatever made it. */
function everyAnswersHeaders(reply: FastifyReply): void {
  reply.header('X-Tollgate-Version', PRODUCT_VERSION);
  reply.header('Server', `Sonatype-Lifecycle-compatible Tollgate/${PRODUCT_VERSION}`);
  reply.header('X-Content-Type-Options', 'nosniff');
}

export async function buildApp(ctx: AppContext): Promise<TollgateApp> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Cloud-style clients prefix every path with /platform; both spellings reach the same route.
    rewriteUrl: (req) => (req.url?.startsWith('/platform/') ? req.url.slice('/platform'.length) : (req.url ?? '/')),
    // Clients join a configured base URL ending in / with paths starting with /: `//api/v2/…`.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Requests arriving while the server drains are answered by the onRequest hook below instead.
    return503OnClosing: false,
    // A URL the router cannot decode (`/%E0%A4%A`) is answered before any hook runs: plain text like
    // every other refusal, with the headers the onSend hook gives the rest.
    frameworkErrors: (error, _request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      everyAnswersHeaders(reply);
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      reply.status(status).type('text/plain; charset=utf-8').send(status === 400 ? `The request URL cannot be read: ${error.message}` : error.message);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler());
  app.decorate('ctx', ctx);
  const routeTable: RouteEntry[] = [];
  const changes = new WeakMap<object, ChangeScope>();
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const wrong = declarationError(route.url, route.config);
    if (wrong) throw new Error(wrong);
    // The handler runs as its caller: events it raises name them as initiator (core/initiator.ts).
    const handler = route.handler;
    route.handler = function (this: unknown, request, reply) {
      const scope: ChangeScope = { initiator: request.principal?.username ?? 'system', queuedWork: false };
      changes.set(request, scope);
      return withinChange(scope, () => handler.call(this as never, request, reply));
    };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        partial: route.config?.partial,
        tollgate: route.config?.tollgate ?? false,
        permission: describePermission(route.config?.permission, route.config?.public),
      });
    }
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('authorize', async function (this: { principal: unknown }, permission: Permission, scope?: Scope) {
    const principal = (this as unknown as { principal: import('../services/access/access.js').Principal | null }).principal;
    if (!principal) throw new UnauthorizedError('Authentication required.');
    await requirePermission(ctx.store, principal, permission, scope);
  });
  app.decorateRequest('actor', function (this: { principal: { username: string } | null; ip: string }) {
    return { username: this.principal?.username ?? 'anonymous', remoteAddress: this.ip };
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(async (request, reply) => {
    // A page address of the web UI (a reload, a shared link) opens the app there.
    const page = await webFallback(request, reply);
    if (page) return page;
    return reply.status(404).type('text/plain; charset=utf-8').send(`No such resource: ${request.method} ${request.url.split('?')[0]}`);
  });

  // Bodies Tollgate reads as text (SBOMs in XML, plain-text tokens) or bytes (archives).
  app.addContentTypeParser(['application/xml', 'text/xml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser(['application/octet-stream', 'application/zip'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  // Generated clients send a content type with an empty body on POSTs that take none (and Java's
  // HttpURLConnection says form-urlencoded): no body, rather than a 400 or 415 for it.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    typeof body !== 'string' || body.trim() === '' ? done(null, undefined) : json(request, body, done),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    typeof body === 'string' && body.trim() === ''
      ? done(null, undefined)
      : done(Object.assign(new Error('Unsupported content type application/x-www-form-urlencoded: send JSON (application/json)'), { statusCode: 415 })),
  );
  // Made now, not on the first sign-in as an unknown name (which would then take longer than the next).
  await dummyHash(ctx.config.passwordHashCost);
  refuseNulInput(app);
  acceptClientInput(app);

  const limiter = ctx.config.rateLimit.enabled
    ? new RateLimiter(ctx.config.rateLimit.max, ctx.config.rateLimit.windowSeconds * 1000)
    : undefined;

  // Shutting down (app.drain(), then app.close()): requests still arriving on open connections are
  // refused with a 503, and every answer from now on closes its connection, so that a keep-alive
  // client's socket does not hold the server open once its last request is answered.
  let draining = false;
  app.decorate('drain', () => {
    draining = true;
  });
  app.decorate('draining', {
    getter: () => draining,
  });
  app.addHook('preClose', async () => {
    draining = true;
  });

  app.addHook('onRequest', async (request, reply) => {
    if (draining && !request.routeOptions.config?.answersWhileDraining) {
      return reply
        .status(503)
        .header('Connection', 'close')
        .header('Retry-After', '5')
        .type('text/plain; charset=utf-8')
        .send('The server is shutting down: send the request again.');
    }
    if (request.routeOptions.config?.rateLimit !== false) limiter?.hit(request.ip);
    // By the route matched, not the raw URL: `//api/…` and `/%61pi/…` reach /api/ routes too.
    const path = request.routeOptions.url ?? request.url;
    if (request.routeOptions.config?.public || !path.startsWith('/api/')) return;
    request.principal = await authenticate(ctx, request);
    await checkCsrf(ctx, request);
  });

  // Large bodies in flight are bounded (after authentication: a refused caller never holds any).
  app.decorate('uploadBudget', limitUploads(app, ctx.config.uploads));

  // Headers every answer carries, whatever produced it (a route, an error, the 404 handler, the
  // Swagger UI's files, a refusal before routing: NUL in the URL, 413, 429, 503 while shutting
  // down): the version, no content sniffing, and no HTML page of ours inside another site's frame.
  // Set here rather than in an onRequest hook, which an earlier hook's refusal skips.
  app.addHook('onSend', async (_request, reply, payload) => {
    everyAnswersHeaders(reply);
    if (draining) reply.header('Connection', 'close');
    if (/^\s*text\/html/i.test(String(reply.getHeader('content-type') ?? ''))) {
      const csp = reply.getHeader('content-security-policy');
      const policy = typeof csp === 'string' && csp.trim() !== '' ? csp.trim().replace(/;?$/, '') : '';
      // A page that names its own frame-ancestors (the embeddable report) keeps them; every other
      // page refuses all framing.
      if (!/frame-ancestors/i.test(policy)) {
        reply.header('Content-Security-Policy', policy ? `${policy}; frame-ancestors 'none'` : "frame-ancestors 'none'");
        reply.header('X-Frame-Options', 'DENY');
      } else if (/frame-ancestors\s+'none'/i.test(policy)) reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });

  // The permission each route declares (http/permissions.ts), once params, query and body are
  // validated: a scope source reads them, and an unknown id is a 404 before any 403.
  app.addHook('preHandler', async (request) => {
    const { config, url } = request.routeOptions;
    if (config?.permission) await checkRoutePermission(ctx, request, config.permission);
    // Registration refuses such routes; should one slip through, it answers nothing.
    else if (!config?.public && url && needsDeclaration(url)) throw new Error(`${url} declares no permission`);
  });

  // Every successful change through the API lands in the audit log, whatever route made it. Written
  // before the reply goes out (onSend), so a client that reads the log right after a change sees it.
  // A submission replayed by its Idempotency-Key changed nothing: it is logged as `<action>.replayed`,
  // so the log neither counts it as a second scan nor hides that the caller sent it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!MUTATING.has(request.method) || reply.statusCode >= 300 || !request.principal) return payload;
    const route = request.routeOptions;
    if (route.config?.audit === false) return payload;
    const action = route.config?.audit ?? `${request.method} ${route.url ?? request.url}`;
    const replayed = reply.getHeader(IDEMPOTENT_REPLAYED_HEADER) === 'true';
    try {
      await recordAudit(ctx.store.db, {
        time: ctx.now().toISOString(),
        username: request.principal.username,
        remoteAddress: request.ip,
        action: replayed ? `${action}.replayed` : action,
        target: request.url.split('?')[0],
        detail: typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body) ? request.body : undefined,
      });
    } catch (err) {
      request.log.error({ err }, 'could not write the audit log');
    }
    return payload;
  });

  // A change that queued work in its transaction (webhook deliveries): now that it is committed,
  // this process's workers look for it at once instead of at their next poll.
  app.addHook('onResponse', async (request) => {
    if (changes.get(request)?.queuedWork) announceJobQueued();
  });

  await registerOpenApi(app);
  for (const { plugin } of await loadRouteModules()) await app.register(plugin);
  await registerWebUi(app);
  return app as unknown as TollgateApp;
}

/** `trustProxy` as Fastify takes it: off, any proxy, a hop count, or the addresses to believe. */
export function trustProxyOption(setting: string): boolean | string | ((address: string, hop: number) => boolean) {
  const value = setting.trim();
  if (value === '' || /^false$/i.test(value)) return false;
  if (/^true$/i.test(value)) return true;
  if (/^\d+$/.test(value)) {
    // A hop count: believe that many proxies nearest to the server.
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}
