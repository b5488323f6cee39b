import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IqClient } from '../../src/cli/iq-client.js';
import { submitScanWithRetries } from '../../src/cli/submit-scan.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { submitScan } from '../../src/services/evaluation/evaluations.js';
import { idempotencyKeyOf } from '../../src/services/evaluation/idempotency.js';

/** Idempotency-Key on the submission routes: a retry gets the first answer and stores nothing. */
let server: TestServer;
let appId: string;
let otherAppId: string;
let DEV: [string, string];

const SBOM = cycloneDxJson([{ name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' }]);
const OTHER_SBOM = cycloneDxJson([{ name: 'left-pad', version: '1.2.0', purl: 'pkg:npm/left-pad@1.2.0', license: 'MIT' }]);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const create = async (publicId: string) => {
    const created = await server.request('POST', '/api/v2/applications', { body: { publicId, name: publicId, organizationId: 'ROOT_ORGANIZATION_ID' } });
    expect(created.status).toBe(200);
    return created.body.id as string;
  };
  appId = await create('idem-app');
  otherAppId = await create('idem-other');
  DEV = await userWithRole(server, 'idem-dev', 'Developer', 'application', appId);
});
afterAll(async () => {
  await server?.close();
});

const scan = (key: string | undefined, options: { body?: string; app?: string; stage?: string; auth?: [string, string] } = {}) =>
  server.request('POST', `/api/v2/scan/applications/${options.app ?? appId}/sources/cyclonedx?stageId=${options.stage ?? 'build'}`, {
    raw: { contentType: 'application/json', data: options.body ?? SBOM },
    headers: key === undefined ? {} : { 'Idempotency-Key': key },
    auth: options.auth,
  });

async function count(table: 'evaluation_requests' | 'reports' | 'idempotency_keys'): Promise<number> {
  const row = await server.ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Idempotency-Key on POST /api/v2/scan/applications/{applicationId}/sources/{source}', () => {
  it('a retry with the same key gets the first ticket, and one report is stored', async () => {
    const [requests, reports] = [await count('evaluation_requests'), await count('reports')];
    const first = await scan('ci-run-1');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await scan('ci-run-1');
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expectMatchesReference('POST', '/api/v2/scan/applications/{applicationId}/sources/{source}', 202, retry.body);
    // The stage's default spelled out is the same request.
    expect((await scan('ci-run-1', { stage: 'build' })).body).toEqual(first.body);
    expect(await count('evaluation_requests')).toBe(requests + 1);
    // The audit log has one scan; the retries are there too, as replays that stored nothing.
    const audited = await server.ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `/api/v2/scan/applications/${appId}/sources/cyclonedx`)
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['application.scan', 'application.scan.replayed', 'application.scan.replayed']);
    await server.jobs.drain();
    expect(await count('reports')).toBe(reports + 1);
    expect((await server.request('GET', `/${first.body.statusUrl}`)).status).toBe(200);
  });

  it('the same key with another body or stage is refused (422), and nothing is stored', async () => {
    expect((await scan('ci-run-2')).status).toBe(202);
    const requests = await count('evaluation_requests');
    const otherBody = await scan('ci-run-2', { body: OTHER_SBOM });
    expect(otherBody.status).toBe(422);
    expect(otherBody.text).toMatch(/Idempotency-Key "ci-run-2" was already used for another request/);
    expect((await scan('ci-run-2', { stage: 'release' })).status).toBe(422);
    expect(await count('evaluation_requests')).toBe(requests);
  });

  it('concurrent requests with one key make one submission; the others replay it', async () => {
    const requests = await count('evaluation_requests');
    const replies = await Promise.all(Array.from({ length: 6 }, () => scan('ci-run-concurrent')));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(new Set(replies.map((r) => r.body.statusUrl)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await count('evaluation_requests')).toBe(requests + 1);
  });

  it('two submissions that both find no key: the unique key lets one store, the other replays it', async () => {
    // Called side by side on the service, both look for the key before either stores it (over HTTP
    // on SQLite the first usually finishes before the second looks), so the constraint decides.
    const requests = await count('evaluation_requests');
    const parts = { method: 'POST', route: 'test', params: {}, query: {}, body: SBOM };
    const submit = () =>
      submitScan(
        server.ctx,
        { applicationId: appId, source: 'cyclonedx', body: SBOM, username: 'admin' },
        { idempotency: idempotencyKeyOf('race', parts), answer: ({ id }) => ({ status: 202, body: { id } }) },
      );
    const [a, b] = await Promise.all([submit(), submit()]);
    expect(a.answer).toEqual(b.answer);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await count('evaluation_requests')).toBe(requests + 1);
  });

  it('keys belong to an application and a caller', async () => {
    const mine = await scan('shared-key');
    const otherApp = await scan('shared-key', { app: otherAppId });
    const otherUser = await scan('shared-key', { auth: DEV });
    for (const reply of [mine, otherApp, otherUser]) {
      expect(reply.status).toBe(202);
      expect(reply.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(new Set([mine, otherApp, otherUser].map((r) => r.body.statusUrl)).size).toBe(3);
    // Each caller's retry replays its own ticket.
    expect((await scan('shared-key', { auth: DEV })).body).toEqual(otherUser.body);
  });

  it('an invalid key is a 400 that says why, and nothing is stored', async () => {
    const requests = await count('evaluation_requests');
    for (const key of ['', 'x'.repeat(256), 'tab\there', 'caf\u00e9']) {
      const reply = await scan(key);
      expect(reply.status, JSON.stringify(key)).toBe(400);
      expect(reply.text).toMatch(/Idempotency-Key must be/);
    }
    expect((await scan('x'.repeat(255))).status).toBe(202);
    expect(await count('evaluation_requests')).toBe(requests + 1);
  });

  it('a submission that fails stores no key: its retry is a new submission', async () => {
    const maxQueued = server.ctx.config.jobs.maxQueued;
    server.ctx.config.jobs.maxQueued = 0;
    try {
      expect((await scan('ci-run-busy')).status).toBe(429);
    } finally {
      server.ctx.config.jobs.maxQueued = maxQueued;
    }
    const retry = await scan('ci-run-busy');
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keys expire after idempotencyKeyTtlSeconds, and expired ones are purged', async () => {
    const first = await scan('ci-run-expiring');
    const realNow = server.ctx.now;
    server.ctx.now = () => new Date(realNow().getTime() + (server.ctx.config.idempotencyKeyTtlSeconds + 60) * 1000);
    try {
      const later = await scan('ci-run-expiring', { body: OTHER_SBOM });
      expect(later.status).toBe(202);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body.statusUrl).not.toBe(first.body.statusUrl);
      // Only the key just used is left: every other had expired by then.
      expect(await count('idempotency_keys')).toBe(1);
    } finally {
      server.ctx.now = realNow;
    }
  });
});

describe('Idempotency-Key on the other submissions', () => {
  it('component evaluation: a retry gets the first resultId', async () => {
    const body = { components: [{ packageUrl: 'pkg:npm/left-pad@1.3.0' }] };
    const send = (b: unknown) => server.request('POST', `/api/v2/evaluation/applications/${appId}`, { body: b, headers: { 'Idempotency-Key': 'components-1' } });
    const requests = await count('evaluation_requests');
    const first = await send(body);
    expect(first.status).toBe(200);
    const retry = await send(body);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expectMatchesReference('POST', '/api/v2/evaluation/applications/{applicationId}', 200, retry.body);
    expect(await count('evaluation_requests')).toBe(requests + 1);
    expect((await send({ components: [{ packageUrl: 'pkg:npm/left-pad@1.2.0' }] })).status).toBe(422);
  });

  it('promote scan: a retry gets the first statusUrl', async () => {
    await server.jobs.drain();
    const send = (targetStageId: string) =>
      server.request('POST', `/api/v2/evaluation/applications/${appId}/promoteScan`, {
        body: { sourceStageId: 'build', targetStageId },
        headers: { 'Idempotency-Key': 'promote-1' },
      });
    const requests = await count('evaluation_requests');
    const first = await send('release');
    expect(first.status).toBe(200);
    const retry = await send('release');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await count('evaluation_requests')).toBe(requests + 1);
    expect((await send('stage-release')).status).toBe(422);
    await server.jobs.drain();
  });
});

describe('tollgate evaluate’s submission', () => {
  it('retries after the answer was lost, with one key: the scan is stored once', async () => {
    // A proxy that passes the first POST on to the server and then drops the connection instead
    // of answering: the server stored the scan, the client saw a connection error.
    let posts = 0;
    const keys: string[] = [];
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      if (req.method === 'POST') keys.push(headers['idempotency-key'] ?? '');
      const answer = await fetch(`${server.url}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
      const text = await answer.text();
      if (req.method === 'POST' && ++posts === 1) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new IqClient({ server: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, username: 'admin', password: 'admin123' });
      const requests = await count('evaluation_requests');
      const ticket = await submitScanWithRetries(client, `/api/v2/scan/applications/${appId}/sources/cyclonedx?stageId=build`, { contentType: 'application/json', data: SBOM }, { delaysMs: [10, 10] });
      expect(ticket.statusUrl).toMatch(new RegExp(`^api/v2/scan/applications/${appId}/status/[0-9a-f]{32}$`));
      expect(posts).toBe(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      expect(await count('evaluation_requests')).toBe(requests + 1);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
  it('waits as long as a full server asks (Retry-After) before trying again; an ask over 30 s gets the usual delay', async () => {
    // A stand-in for a server whose upload budget is full: 503 with Retry-After, then the real one.
    let posts = 0;
    let retryAfter = '2';
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.method === 'POST' && ++posts === 1) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': retryAfter }).end('Too many large uploads in progress');
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const answer = await fetch(`${server.url}${req.url}`, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new IqClient({ server: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, username: 'admin', password: 'admin123' });
      const path = `/api/v2/scan/applications/${appId}/sources/cyclonedx?stageId=build`;
      const waits: number[] = [];
      const sleep = async (ms: number) => void waits.push(ms);
      const ticket = await submitScanWithRetries(client, path, { contentType: 'application/json', data: SBOM }, { delaysMs: [10, 10], sleep });
      expect(ticket.statusUrl).toMatch(/status\/[0-9a-f]{32}$/);
      expect(waits).toEqual([2000]);
      // A server asking for more than 30 s is not waited for that long: the usual delay, then again.
      posts = 0;
      retryAfter = '600';
      waits.length = 0;
      expect((await submitScanWithRetries(client, path, { contentType: 'application/json', data: SBOM }, { delaysMs: [10, 10], sleep })).statusUrl).toMatch(/status\/[0-9a-f]{32}$/);
      expect(waits).toEqual([10]);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    await server.jobs.drain();
  });
});

describe('the OpenAPI document', () => {
  it('describes the Idempotency-Key header and the 422 on each submission route', async () => {
    const doc = (await server.request('GET', '/api/v2/endpoints/public', { auth: null })).body;
    for (const path of ['/api/v2/scan/applications/{applicationId}/sources/{source}', '/api/v2/evaluation/applications/{applicationId}', '/api/v2/evaluation/applications/{applicationId}/promoteScan']) {
      const operation = doc.paths[path].post;
      expect(operation.parameters, path).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false }));
      expect(operation.description, path).toMatch(/Idempotent-Replayed: true/);
      expect(Object.keys(operation.responses), path).toContain('422');
    }
  });
});
