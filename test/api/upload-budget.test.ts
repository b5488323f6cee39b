import { type ClientRequest, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ROOT_ORGANIZATION_ID } from '../../src/core/ids.js';
import { UPLOAD_BUDGET_MESSAGE } from '../../src/http/upload-budget.js';
import { createApplicationIn } from '../helpers/owners.js';
import { ADMIN, type TestServer, startTestServer } from '../helpers/server.js';

const KiB = 1024;
const AUTH = `Basic ${Buffer.from(`${ADMIN[0]}:${ADMIN[1]}`).toString('base64')}`;

/** A one-component CycloneDX JSON SBOM of exactly `bytes` bytes (a long description fills it). */
function sbomOf(bytes: number, name = 'lodash'): Buffer {
  const make = (fill: number) =>
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [{ type: 'library', name, version: '4.17.15', purl: `pkg:npm/${name}@4.17.15`, description: 'x'.repeat(fill) }],
    });
  return Buffer.from(make(bytes - make(0).length));
}

interface Answer {
  status: number;
  retryAfter?: string;
  text: string;
}

/** A raw HTTP POST whose body the test writes itself (part now, the rest later), with or without Content-Length. */
function post(url: string, path: string, options: { length?: number }): { req: ClientRequest; answer: Promise<Answer> } {
  const headers: Record<string, string | number> = { authorization: AUTH, 'content-type': 'application/json' };
  if (options.length !== undefined) headers['content-length'] = options.length;
  const req = httpRequest(`${url}${path}`, { method: 'POST', headers });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, text: Buffer.concat(chunks).toString() }),
      );
    });
  });
  return { req, answer };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('upload budget: large bodies in flight are bounded', () => {
  let server: TestServer;
  let appId: string;
  let scanPath: string;
  const storedScans = async () =>
    (await server.ctx.store.db.selectFrom('evaluation_requests').select('id').where('application_id', '=', appId).execute()).length;

  beforeAll(async () => {
    // Bodies over 64 KiB count; 1 MiB of them in flight at once; no waiting for room.
    server = await startTestServer({ registries: { offline: true }, uploads: { largeBodyBytes: 64 * KiB, maxConcurrentBytes: 1024 * KiB, waitMs: 0 } });
    appId = await createApplicationIn(server, 'upload-budget', ROOT_ORGANIZATION_ID);
    scanPath = `/api/v2/scan/applications/${appId}/sources/cyclonedx`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a large upload 503 with Retry-After while the budget is full, stores nothing, and takes it once the budget frees', async () => {
    // One upload of 800 KiB is being read (half its body sent): it holds the budget.
    const heldBody = sbomOf(800 * KiB);
    const held = post(server.url, scanPath, { length: heldBody.length });
    held.req.write(heldBody.subarray(0, heldBody.length / 2));
    await until(() => server.app.uploadBudget.inFlight === heldBody.length);

    // 800 KiB + 400 KiB is over the budget: refused before its body is read.
    const second = sbomOf(400 * KiB, 'express');
    const refused = await server.request('POST', scanPath, { raw: { contentType: 'application/json', data: second } });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.text).toBe(UPLOAD_BUDGET_MESSAGE);

    // Without Content-Length (chunked), it is stopped as it streams past the room left.
    const chunked = post(server.url, scanPath, {});
    chunked.req.end(second);
    const chunkedAnswer = await chunked.answer;
    expect(chunkedAnswer.status).toBe(503);
    expect(Number(chunkedAnswer.retryAfter)).toBeGreaterThan(0);
    expect(chunkedAnswer.text).toBe(UPLOAD_BUDGET_MESSAGE);
    expect(await storedScans()).toBe(0);

    // The first upload finishes; its bytes are given back, and the refused upload now goes through.
    held.req.end(heldBody.subarray(heldBody.length / 2));
    expect((await held.answer).status).toBe(202);
    await until(() => server.app.uploadBudget.inFlight === 0);
    const retried = await server.request('POST', scanPath, { raw: { contentType: 'application/json', data: second } });
    expect(retried.status, retried.text).toBe(202);
    const chunkedRetry = post(server.url, scanPath, {});
    chunkedRetry.req.end(second);
    expect((await chunkedRetry.answer).status).toBe(202);
    expect(await storedScans()).toBe(3);
    expect(server.app.uploadBudget.inFlight).toBe(0);
  });

  it('never holds back small requests, even while the budget is full', async () => {
    const before = await storedScans();
    const heldBody = sbomOf(1000 * KiB);
    const held = post(server.url, scanPath, { length: heldBody.length });
    held.req.write(heldBody.subarray(0, 1000));
    await until(() => server.app.uploadBudget.inFlight === heldBody.length);

    const small = await server.request('POST', scanPath, { raw: { contentType: 'application/json', data: sbomOf(32 * KiB, 'react') } });
    expect(small.status, small.text).toBe(202);
    const smallChunked = post(server.url, scanPath, {});
    smallChunked.req.end(sbomOf(32 * KiB, 'vue'));
    expect((await smallChunked.answer).status).toBe(202);
    expect((await server.request('GET', '/api/v2/applications')).status).toBe(200);

    held.req.end(heldBody.subarray(1000));
    expect((await held.answer).status).toBe(202);
    expect(await storedScans()).toBe(before + 3);
    await until(() => server.app.uploadBudget.inFlight === 0);
  });

  it('gives the bytes back when the client goes away mid-upload', async () => {
    const body = sbomOf(600 * KiB);
    const gone = post(server.url, scanPath, { length: body.length });
    gone.answer.catch(() => undefined);
    gone.req.write(body.subarray(0, 1000));
    await until(() => server.app.uploadBudget.inFlight === body.length);
    gone.req.destroy();
    await until(() => server.app.uploadBudget.inFlight === 0);
  });

  it('is configured by uploads.* or the environment (default: 64 MiB of bodies over 1 MiB, 2 s of waiting)', () => {
    expect(loadConfig({ file: false, env: {} }).uploads).toEqual({ maxConcurrentBytes: 64 * 1024 * KiB, largeBodyBytes: 1024 * KiB, waitMs: 2000 });
    const env = { TOLLGATE_UPLOADS_MAX_CONCURRENT_BYTES: '1048576', TOLLGATE_UPLOADS_LARGE_BODY_BYTES: '65536', TOLLGATE_UPLOADS_WAIT_MS: '0' };
    expect(loadConfig({ file: false, env }).uploads).toEqual({ maxConcurrentBytes: 1024 * KiB, largeBodyBytes: 64 * KiB, waitMs: 0 });
  });
});
