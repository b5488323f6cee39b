import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/core/context.js';
import { buildApp } from '../../src/http/app.js';
import type { TollgateApp } from '../../src/http/types.js';
import { createLogger, openContext } from '../../src/server.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createApplication, scanAndWait } from '../evaluation/scan.js';
import { ADMIN, onPostgres, type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';

/**
 * The portfolio listings' cache (services/reports/portfolio-cache.ts), over HTTP: kept answers are
 * the built ones, a change answers at once on this node and on a second node on the same database,
 * callers who see different applications never share an answer, ETag and 304.
 */
let server: TestServer;
/** A second node: its own context (store, cache) and HTTP server on the same database. */
let other: { ctx: AppContext; app: TollgateApp; url: string };
let copyleft: string;
let shopId: string;
let gadgetId: string;
let DEV: [string, string];

const SBOM = cycloneDxJson([{ name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' }]);
const SBOM2 = cycloneDxJson([
  { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' },
  { name: 'mysql', version: '2.18.1', purl: 'pkg:npm/mysql@2.18.1', license: 'GPL-2.0-only' },
]);

const REPORTS = '/api/v2/reports/applications';
const violations = () => `/api/v2/policyViolations?p=${copyleft}`;

async function get(base: string, path: string, auth: [string, string] = ADMIN, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, { headers: { ...headers, authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}` } });
  return { status: response.status, etag: response.headers.get('etag'), encoding: response.headers.get('content-encoding'), text: await response.text() };
}
const publicIdsIn = (text: string) => (JSON.parse(text).applicationViolations as Array<{ application: { publicId: string; name: string } }>).map((a) => a.application);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const policies = await server.request('GET', '/api/v2/policies');
  copyleft = policies.body.policies.find((p: { name: string }) => p.name === 'License-Copyleft').id;
  shopId = await createApplication(server, 'shop', 'Shop');
  gadgetId = await createApplication(server, 'gadget', 'Gadget');
  await scanAndWait(server, shopId, SBOM, { stage: 'build' });
  await scanAndWait(server, gadgetId, SBOM, { stage: 'build' });
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', shopId);
  let schema: string | undefined;
  if (onPostgres) schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(server.ctx.store.db)).rows[0].s;
  const ctx = await openContext({ ...server.ctx.config }, createLogger(server.ctx.config), { schema });
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  other = { ctx, app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}, 60_000);
afterAll(async () => {
  await other?.app.close();
  await other?.ctx.store.close();
  await server?.close();
});

describe('portfolio listings cache', () => {
  it('answers with the same bytes as an uncached answer, from the cache while the portfolio version holds', async () => {
    for (const path of [REPORTS, violations()]) {
      server.ctx.config.portfolioCacheMiB = 0;
      const uncached = await get(server.url, path);
      server.ctx.config.portfolioCacheMiB = 256;
      const first = await get(server.url, path);
      const second = await get(server.url, path);
      expect(first.status, first.text).toBe(200);
      expect(second.text).toBe(uncached.text);
      expect(first.text).toBe(uncached.text);
    }
    // A change the version does not count (here: put back by hand) is not seen: the answer is the kept one.
    const { version } = await server.ctx.store.db.selectFrom('portfolio_version').select('version').executeTakeFirstOrThrow();
    await server.ctx.store.db.updateTable('applications').set({ name: 'Shop (unseen)' }).where('id', '=', shopId).execute();
    await server.ctx.store.db.updateTable('portfolio_version').set({ version }).execute();
    expect((await get(server.url, violations())).text).not.toContain('Shop (unseen)');
    server.ctx.config.portfolioCacheMiB = 0;
    expect((await get(server.url, violations())).text).toContain('Shop (unseen)');
    server.ctx.config.portfolioCacheMiB = 256;
    await server.ctx.store.db.updateTable('applications').set({ name: 'Shop' }).where('id', '=', shopId).execute();
  });

  it('answers gzip-compressed once compressed, to callers that accept it', async () => {
    const plain = await get(server.url, violations(), ADMIN, { 'accept-encoding': 'identity' });
    let compressed = await get(server.url, violations(), ADMIN, { 'accept-encoding': 'gzip' });
    // Compressed after the first answer, off the event loop.
    for (let i = 0; i < 40 && compressed.encoding !== 'gzip'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      compressed = await get(server.url, violations(), ADMIN, { 'accept-encoding': 'gzip' });
    }
    expect(compressed.encoding).toBe('gzip');
    expect(compressed.text).toBe(plain.text);
    expect(compressed.etag).toBe(plain.etag);
    expect((await get(server.url, violations(), ADMIN, { 'accept-encoding': 'gzip;q=0' })).encoding).toBeNull();
    expect(plain.encoding).toBeNull();
  });

  it('never gives one caller the answer kept for a caller who sees other applications', async () => {
    for (const path of [REPORTS, violations()]) {
      const all = await get(server.url, path);
      const dev = await get(server.url, path, DEV);
      expect(dev.status, dev.text).toBe(200);
      expect(dev.text).not.toBe(all.text);
      expect(dev.etag).not.toBe(all.etag);
      expect((await get(server.url, path)).text).toBe(all.text);
    }
    const devReports = JSON.parse((await get(server.url, REPORTS, DEV)).text) as Array<{ applicationId: string }>;
    expect(devReports.map((r) => r.applicationId)).toEqual([shopId]);
    expect(publicIdsIn((await get(server.url, violations(), DEV)).text).map((a) => a.publicId)).toEqual(['shop']);
  });

  it('sends an ETag and answers 304 to If-None-Match until the portfolio changes', async () => {
    const first = await get(server.url, REPORTS);
    expect(first.etag).toMatch(/^".+"$/);
    const again = await get(server.url, REPORTS, ADMIN, { 'if-none-match': first.etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await get(server.url, REPORTS, ADMIN, { 'if-none-match': `W/${first.etag}` })).status).toBe(304);
    // Another caller's view has another tag.
    expect((await get(server.url, REPORTS, DEV, { 'if-none-match': first.etag! })).status).toBe(200);
    await scanAndWait(server, gadgetId, SBOM2, { stage: 'release' });
    const changed = await get(server.url, REPORTS, ADMIN, { 'if-none-match': first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
  });

  it('a new report, a rename and a delete change the next answer at once, on this node and on another', async () => {
    const nodes = [server.url, other.url];
    const reportCount = async (url: string) => (JSON.parse((await get(url, REPORTS)).text) as unknown[]).length;
    const before = await Promise.all(nodes.map(reportCount));
    for (const url of nodes) await get(url, violations());
    await scanAndWait(server, shopId, SBOM, { stage: 'operate' });
    expect(await Promise.all(nodes.map(reportCount))).toEqual(before.map((n) => n + 1));

    const renamed = await server.request('PUT', `/api/v2/applications/${gadgetId}`, { body: { name: 'Gadget Two' } });
    expect(renamed.status, renamed.text).toBe(200);
    for (const url of nodes) expect(publicIdsIn((await get(url, violations())).text).find((a) => a.publicId === 'gadget')?.name).toBe('Gadget Two');

    const deleted = await server.request('DELETE', `/api/v2/applications/${gadgetId}`);
    expect(deleted.status, deleted.text).toBeLessThan(300);
    for (const url of nodes) {
      expect(publicIdsIn((await get(url, violations())).text).map((a) => a.publicId)).toEqual(['shop']);
      expect((JSON.parse((await get(url, REPORTS)).text) as Array<{ applicationId: string }>).every((r) => r.applicationId === shopId)).toBe(true);
    }
  });
});
