import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import { authenticated } from '../../src/http/permissions.js';
import type { TollgateApp } from '../../src/http/types.js';
import { dropSchema } from '../../src/store/db.js';
import { ADMIN, type TestServer, onPostgres, openTestContext, startTestServer } from '../helpers/server.js';

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are inspected field by field.
type Json = Record<string, any>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const OPERATION_FIELDS = new Set([
  'tags', 'summary', 'description', 'externalDocs', 'operationId', 'parameters', 'requestBody', 'responses', 'callbacks',
  'deprecated', 'security', 'servers',
]);

/**
 * The structural rules of OpenAPI 3.0 a generated document can break (no validator package for the
 * OpenAPI schema is installed): version, info, paths, operations, parameters, responses, references,
 * and JSON Schema that 3.0 does not allow (type arrays, type "null").
 */
function openApi30Problems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi)) problems.push(`openapi must be 3.0.x, got ${doc.openapi}`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') problems.push('info needs a title and a version');
  if (typeof doc.paths !== 'object' || doc.paths === null) problems.push('paths must be an object');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!HTTP_METHODS.includes(method)) {
        if (!['parameters', 'summary', 'description', 'servers', '$ref'].includes(method) && !method.startsWith('x-')) problems.push(`${path}: unknown field ${method}`);
        continue;
      }
      const where = `${method.toUpperCase()} ${path}`;
      for (const key of Object.keys(op)) if (!OPERATION_FIELDS.has(key) && !key.startsWith('x-')) problems.push(`${where}: unknown field ${key}`);
      if (op.operationId) {
        if (operationIds.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} repeats`);
        operationIds.add(op.operationId);
      }
      const parameters: Json[] = op.parameters ?? [];
      for (const p of parameters) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in)) problems.push(`${where}: bad parameter ${JSON.stringify(p)}`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(p.name))) problems.push(`${where}: path parameter ${p.name} must be required and in the path`);
        if (!p.schema && !p.content) problems.push(`${where}: parameter ${p.name} has no schema`);
      }
      for (const name of templated) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: {${name}} is not declared as a path parameter`);
      }
      if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
        if (typeof response.description !== 'string') problems.push(`${where} ${status}: response needs a description`);
      }
    }
  }
  // JSON Schema that OpenAPI 3.0 does not have, and references that lead nowhere.
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) visit(n, `${at}/${i}`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Json;
    if (Array.isArray(obj.type) || obj.type === 'null') problems.push(`${at}: type ${JSON.stringify(obj.type)} is not OpenAPI 3.0`);
    if (typeof obj.$ref === 'string') {
      const target = obj.$ref.startsWith('#/') ? obj.$ref.slice(2).split('/').reduce<unknown>((n, k) => (n as Json | undefined)?.[k], doc) : undefined;
      if (target === undefined) problems.push(`${at}: $ref ${obj.$ref} does not resolve`);
    }
    for (const [k, v] of Object.entries(obj)) if (!k.startsWith('x-')) visit(v, `${at}/${k}`);
  };
  visit(doc.paths, '#/paths');
  visit(doc.components, '#/components');
  return problems;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('OpenAPI documents', () => {
  it('the structural check finds what is wrong (so that passing it means something)', () => {
    const broken = {
      openapi: '3.1.0',
      info: { title: 'x' },
      paths: { '/a/{id}': { get: { responses: {}, bogus: 1 } }, '/b': { post: { responses: { 200: { content: { 'application/json': { schema: { type: ['string', 'null'] } } } } } } } },
    };
    const problems = openApi30Problems(broken);
    for (const expected of [/openapi must be 3\.0/, /info needs/, /unknown field bogus/, /\{id\} is not declared/, /no responses/, /needs a description/, /not OpenAPI 3\.0/]) {
      expect(problems.some((p) => expected.test(p)), String(expected)).toBe(true);
    }
  });

  it('serves the Public document, without credentials, as valid OpenAPI 3.0 with the reference operations', async () => {
    const res = await server.request('GET', '/api/v2/endpoints/public', { auth: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const doc = JSON.parse(res.text) as Json;
    expect(openApi30Problems(doc)).toEqual([]);
    expect(doc.info.title).toMatch(/Public/);
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+-\d+$/);
    expect(doc.components.securitySchemes.BasicAuth).toEqual({ type: 'http', scheme: 'basic' });
    expect(Object.keys(doc.paths['/api/v2/organizations'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/api/v2/organizations'].get.tags).toEqual(['Organizations']);
    expect(doc.paths['/api/v2/config/reverseProxyAuthentication'].put.requestBody).toBeDefined();
    // Tollgate's own operations say so; the reference's do not.
    expect(doc.paths['/health'].get['x-tollgate']).toBe(true);
    expect(doc.paths['/api/v2/config/features'].get['x-tollgate']).toBe(true);
    expect(doc.paths['/api/v2/organizations'].get['x-tollgate']).toBeUndefined();
    // The Swagger UI's own routes are not operations.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/swagger-ui'))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('x-tollgate-experimental');
  });

  it('serves the Experimental document, valid and without the public operations', async () => {
    const res = await server.request('GET', '/api/v2/endpoints/experimental', { auth: null });
    expect(res.status).toBe(200);
    const doc = res.body as Json;
    expect(openApi30Problems(doc)).toEqual([]);
    expect(doc.info.title).toMatch(/Experimental/);
    expect(doc.paths['/api/v2/organizations']).toBeUndefined();

    const unknown = await server.request('GET', '/api/v2/endpoints/internal', { auth: null });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/apiType/);
  });

  it('serves the Swagger UI with a Public and an Experimental definition', async () => {
    const page = await server.request('GET', '/swagger-ui/', { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('swagger-initializer.js');
    const init = await server.request('GET', '/swagger-ui/static/swagger-initializer.js', { auth: null });
    expect(init.status).toBe(200);
    const urls = /"urls":(\[[^\]]*\])/.exec(init.text);
    expect(urls, init.text.slice(0, 300)).not.toBeNull();
    expect(JSON.parse(urls![1])).toEqual([
      { url: '/api/v2/endpoints/public', name: 'Public' },
      { url: '/api/v2/endpoints/experimental', name: 'Experimental' },
    ]);
    expect(init.text).toContain('"urls.primaryName":"Public"');
  });
});

describe('experimental operations', () => {
  // A server with one operation marked experimental (Tollgate has none yet).
  let app: TollgateApp;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-test-'));
    const config = loadConfig({
      file: false,
      env: {},
      overrides: { dataDir, logLevel: 'silent', databaseUrl: onPostgres ? process.env.DATABASE_URL : `sqlite:${join(dataDir, 'tollgate.db')}` },
    });
    const { ctx, schema } = await openTestContext(config);
    app = await buildApp(ctx);
    app.get(
      '/api/v2/trial/echo',
      { schema: { tags: ['Trial'], summary: 'An experimental echo' }, config: { experimental: true, permission: authenticated('an echo') } },
      async () => ({ echo: true }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = async () => {
      await app.close();
      await ctx.store.close();
      if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await close?.();
  });

  const basic = `Basic ${Buffer.from(ADMIN.join(':')).toString('base64')}`;
  const call = (method: string, path: string) => fetch(url + path, { method, headers: { authorization: basic } });

  it('are listed in the Experimental document only', async () => {
    const experimental = (await (await fetch(`${url}/api/v2/endpoints/experimental`)).json()) as Json;
    const publicDoc = (await (await fetch(`${url}/api/v2/endpoints/public`)).json()) as Json;
    expect(Object.keys(experimental.paths)).toEqual(['/api/v2/trial/echo']);
    expect(experimental.paths['/api/v2/trial/echo'].get.summary).toBe('An experimental echo');
    expect(openApi30Problems(experimental)).toEqual([]);
    expect(publicDoc.paths['/api/v2/trial/echo']).toBeUndefined();
    expect(publicDoc.paths['/api/v2/organizations']).toBeDefined();
  });

  it('answer only while the experimental-api feature is enabled', async () => {
    expect((await call('GET', '/api/v2/trial/echo')).status).toBe(200);
    expect((await call('DELETE', '/api/v2/config/features/experimental-api')).status).toBe(204);
    const off = await call('GET', '/api/v2/trial/echo');
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/experimental operation .*disabled.*experimental-api/);
    expect((await call('GET', '/api/v2/organizations')).status).toBe(200);
    expect((await call('POST', '/api/v2/config/features/experimental-api')).status).toBe(204);
    expect((await call('GET', '/api/v2/trial/echo')).status).toBe(200);
  });
});
