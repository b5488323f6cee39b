import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TollgateApp } from './types.js';

/**
 * The web UI (web/, built by `npm run build` into dist/web): hashed files under /assets/ kept a
 * year by browsers, index.html never cached (it names the current hashes), and every other page
 * address the app knows (/applications/…, /login) answered with index.html, so a reload or a
 * shared link opens the app there. API, /health, /ui/ report pages, documentation and the CLI
 * download keep their own routes; the same security headers as every other answer apply
 * (http/app.ts), with a policy that lets only our own scripts run.
 */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const INDEX = join(WEB_ROOT, 'index.html');

/** Paths the app never answers: everything the server serves itself. */
const SERVER_PATHS = /^\/(api|rest|ui|assets|swagger-ui|documentation|cli|platform)(\/|$)|^\/health$/;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets CSS variables and positions through style attributes and a style element.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function webUiBuilt(): boolean {
  return existsSync(INDEX);
}

async function sendIndex(reply: FastifyReply): Promise<FastifyReply> {
  if (!webUiBuilt()) {
    return reply.status(404).type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build` (npm start does), then reload.');
  }
  return reply
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-cache')
    .header('Content-Security-Policy', CSP)
    .send(await readFile(INDEX));
}

/** The app's page for a GET the server has no route for, when a browser asks for a page. */
export async function webFallback(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const path = request.url.split('?')[0];
  if (SERVER_PATHS.test(path) || /\.[a-z0-9]+$/i.test(path)) return undefined;
  if (!/text\/html/.test(String(request.headers.accept ?? ''))) return undefined;
  if (!webUiBuilt()) return undefined;
  return sendIndex(reply);
}

export async function registerWebUi(app: TollgateApp): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  // Without a build there is nothing to serve (and @fastify/static would warn of the missing folder).
  if (!existsSync(join(WEB_ROOT, 'assets'))) return;
  await app.register(fastifyStatic, {
    root: join(WEB_ROOT, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    // Vite names every file here by its content's hash: a changed file is a new name.
    immutable: true,
    maxAge: '365d',
    // Built files are found at request time, so a build after the server started is served too.
    wildcard: true,
    schemaHide: true,
  });
}
