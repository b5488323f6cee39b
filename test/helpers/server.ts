import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { TollgateApp } from '../../src/http/types.js';
import { loadJobHandlers } from '../../src/jobs/handlers.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { createLogger, openContext } from '../../src/server.js';
import type { AppContext } from '../../src/core/context.js';
import { dropSchema } from '../../src/store/db.js';

/** True when the suite runs against PostgreSQL (DATABASE_URL=postgres://…), else SQLite. */
export const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the reply is JSON, else the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** [username, password]; default admin/admin123. `null` sends no credentials. */
  auth?: [string, string] | null;
  headers?: Record<string, string>;
  /** Sent as is, with this content type, instead of JSON. */
  raw?: { contentType: string; data: string | Buffer };
}

export interface TestServer {
  url: string;
  ctx: AppContext;
  app: TollgateApp;
  /** The server's job workers, not started: `await server.jobs.drain()` runs what requests queued. */
  jobs: WorkerPool;
  // biome-ignore lint/suspicious/noExplicitAny: tests read reply bodies freely; contract checks validate their shape.
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  close(): Promise<void>;
}

export const ADMIN: [string, string] = ['admin', 'admin123'];

/**
 * Opens and migrates a test database: the configured SQLite file, or on PostgreSQL a fresh schema of
 * its own. Many test files create and drop schemas in one PostgreSQL database at once; a migration
 * that fails there is tried once more in another fresh schema (with a notice), since a second
 * failure would point at the migration itself.
 */
export async function openTestContext(config: Config): Promise<{ ctx: AppContext; schema?: string }> {
  if (!onPostgres) return { ctx: await openContext(config, createLogger(config)) };
  for (let attempt = 1; ; attempt++) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    try {
      return { ctx: await openContext(config, createLogger(config), { schema }), schema };
    } catch (err) {
      await dropSchema(process.env.DATABASE_URL!, schema).catch(() => undefined);
      if (attempt >= 2) throw err;
      console.warn(`notice: migrating test schema ${schema} failed (${(err as Error).message}); trying a new schema`);
    }
  }
}

/**
 * A real server on a loopback port with its own database: a fresh SQLite file, or a fresh
 * PostgreSQL schema when DATABASE_URL points at PostgreSQL. Requests go over HTTP. Password and
 * token hashes cost 2^10 instead of 2^15 (`passwordHashCost`): scrypt's 32 MiB per hash and
 * verification added up to tens of seconds over the suite; test/services/access/passwords.test.ts checks
 * the default cost.
 */
export async function startTestServer(overrides: Record<string, unknown> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-test-'));
  const config: Config = loadConfig({
    file: false,
    env: {},
    overrides: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: process.env.TOLLGATE_TEST_LOG ?? 'silent',
      passwordHashCost: 10,
      databaseUrl: onPostgres ? process.env.DATABASE_URL : `sqlite:${join(dataDir, 'tollgate.db')}`,
      ...overrides,
    },
  });
  const { ctx, schema } = await openTestContext(config);
  const app = await buildApp(ctx);
  const jobs = new WorkerPool(ctx, { handlers: await loadJobHandlers() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Links follow the port the server got, as they follow the configured port when baseUrl is not set.
  if (!('baseUrl' in overrides)) ctx.config.baseUrl = url;

  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const auth = options.auth === undefined ? ADMIN : options.auth;
    if (auth) headers.authorization = `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}`;
    let body: string | Buffer | undefined;
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.data;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, headers: response.headers, text, body: (isJson && text ? JSON.parse(text) : text) as T };
  }

  return {
    url,
    ctx,
    app,
    jobs,
    request,
    async close() {
      await app.close();
      await jobs.stop(5000);
      await ctx.store.close();
      if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
