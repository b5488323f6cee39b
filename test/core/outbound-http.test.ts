import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setOutboundProxy } from '../../src/core/outbound-http.js';
import { downloadToFile } from '../../src/intel/advisories/sync.js';
import { TestHttpProxy } from '../helpers/http-proxy.js';

/**
 * The feed downloads (OSV, CISA KEV, EPSS share downloadToFile) through a real local proxy: they pass
 * through it with its credentials, an excluded host is reached directly, and a proxy refusing the
 * credentials is a clear error.
 */
let proxy: TestHttpProxy;
let feed: Server;
let feedUrl = '';
let dir = '';
const PASSWORD = 'feed-proxy-secret';

beforeAll(async () => {
  proxy = await new TestHttpProxy({ username: 'sync', password: PASSWORD }).start();
  feed = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end('feed bytes'));
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/npm/all.zip`;
  dir = mkdtempSync(join(tmpdir(), 'tollgate-outbound-'));
});
afterAll(async () => {
  setOutboundProxy(undefined);
  await proxy?.close();
  await new Promise<void>((resolve) => (feed ? feed.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const download = () => downloadToFile(feedUrl, join(dir, 'all.zip'), { maxBytes: 1024, idleTimeoutMs: 5000 });
const proxied = (password: string, excludeHosts: string[] = []) =>
  setOutboundProxy({ hostname: '127.0.0.1', port: proxy.port, username: 'sync', password, excludeHosts });

describe('outbound HTTP through the configured proxy', () => {
  it('downloads a feed through the proxy, with its credentials', async () => {
    proxied(PASSWORD);
    expect(await download()).toBe(10);
    expect(readFileSync(join(dir, 'all.zip'), 'utf8')).toBe('feed bytes');
    expect(proxy.passed).toEqual([
      { method: 'CONNECT', target: new URL(feedUrl).host, proxyAuthorization: `Basic ${Buffer.from(`sync:${PASSWORD}`).toString('base64')}` },
    ]);
  });

  it('reaches an excluded host directly', async () => {
    proxied(PASSWORD, ['127.0.0.*']);
    const before = proxy.passed.length;
    expect(await download()).toBe(10);
    expect(proxy.passed).toHaveLength(before);
  });

  it('says so when the proxy refuses the credentials', async () => {
    proxied('wrong');
    await expect(download()).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip \(through the HTTP proxy 127\.0\.0\.1:\d+: .*check the proxy's address and credentials/);
    expect(proxy.passed.at(-1)?.proxyAuthorization).toBe(`Basic ${Buffer.from('sync:wrong').toString('base64')}`);
  });
});
