import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyFor, setOutboundProxy } from '../../src/core/outbound-http.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { TestHttpProxy } from '../helpers/http-proxy.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { ReplayServer } from '../intel/registries/replay-server.js';

const URL_ = '/api/v2/config/httpProxyServer';
const SECRET = 'proxy-secret-2718';

let server: TestServer;
let proxy: TestHttpProxy;
let replay: ReplayServer;
let plain: [string, string];
beforeAll(async () => {
  proxy = await new TestHttpProxy({ username: 'outbound', password: SECRET }).start();
  replay = await new ReplayServer().start();
  replay.file('/npm/left-pad', 'npm/left-pad.json').file('/npm/@types%2fsemver', 'npm/types-semver.json');
  server = await startTestServer({ 'registries.npm.url': `${replay.url}/npm/`, 'webhooks.allowLoopback': true });
  plain = await userWithRole(server, 'plain', null);
});
afterAll(async () => {
  // The proxy is the process's, and test files share processes: never leave one behind.
  setOutboundProxy(undefined);
  await server?.close();
  await proxy?.close();
  await replay?.close();
});

const versions = (packageUrl: string) => server.request('POST', '/api/v2/components/versions', { body: { packageUrl } });

describe('Config Proxy Server', () => {
  it('has no configuration at first, and needs Edit System Configuration and Users', async () => {
    expect((await server.request('GET', URL_)).status).toBe(404);
    expect((await server.request('DELETE', URL_)).status).toBe(404);
    expect((await server.request('GET', URL_, { auth: null })).status).toBe(401);
    expect((await server.request('GET', URL_, { auth: plain })).status).toBe(403);
    expect((await server.request('PUT', URL_, { auth: plain, body: { hostname: '127.0.0.1', port: proxy.port } })).status).toBe(403);
    expect((await server.request('DELETE', URL_, { auth: plain })).status).toBe(403);
  });

  it('refuses bad configurations with a clear message', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ port: 3128 }, /hostname is required/],
      [{ hostname: 'http://proxy.example.com', port: 3128 }, /hostname must be a host name or IP address/],
      [{ hostname: 'proxy.example.com' }, /port is required/],
      [{ hostname: 'proxy.example.com', port: 3128, excludeHosts: ['ok.example.com', 'not a host'] }, /excludeHosts: "not a host" is not a host name/],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', URL_, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect((await server.request('GET', URL_)).status).toBe(404);
  });

  it('stores the configuration without ever returning the password', async () => {
    const put = await server.request('PUT', URL_, {
      body: { hostname: '127.0.0.1', port: proxy.port, username: 'outbound', password: SECRET, passwordIsIncluded: true, excludeHosts: ['LOCALHOST', '*.internal.example.com'] },
    });
    expect(put.status, put.text).toBe(204);
    const res = await server.request('GET', URL_);
    expect(res.status).toBe(200);
    expectMatchesReference('GET', URL_, 200, res.body);
    expect(res.body).toEqual({ hostname: '127.0.0.1', port: proxy.port, username: 'outbound', passwordIsIncluded: false, excludeHosts: ['localhost', '*.internal.example.com'] });
    expect((await server.request('GET', '/api/v2/auditLogs')).text).not.toContain(SECRET);
    // The stored password is for this proxy only.
    const moved = await server.request('PUT', URL_, { body: { port: proxy.port + 1 } });
    expect(moved.status).toBe(400);
    expect(moved.text).toMatch(/hostname and port changed: give the password again/);
    expect(proxyFor('https://a.internal.example.com/x')).toBeUndefined();
    expect(proxyFor('https://registry.npmjs.org/left-pad')?.port).toBe(proxy.port);
  });

  it('sends registry requests through the proxy, with its credentials, except to excluded hosts', async () => {
    const res = await versions('pkg:npm/left-pad@1.3.0');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toContain('1.3.0');
    const target = new URL(replay.url).host;
    expect(proxy.passed.map((p) => p.target)).toContain(target);
    expect(proxy.passed.every((p) => p.proxyAuthorization === `Basic ${Buffer.from(`outbound:${SECRET}`).toString('base64')}`)).toBe(true);

    // localhost is excluded: the same registry reached by that name is asked directly.
    const before = proxy.passed.length;
    server.ctx.config.registries.npm.url = `${replay.url.replace('127.0.0.1', 'localhost')}/npm/`;
    const direct = await versions('pkg:npm/%40types/semver@7.5.0');
    expect(direct.status, direct.text).toBe(200);
    expect(replay.requests.some((r) => r.includes('semver'))).toBe(true);
    expect(proxy.passed.length).toBe(before);
  });

  it('sends webhooks through the proxy too, signed as without one', async () => {
    const received: Array<{ signature?: string; body: string }> = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ signature: req.headers['x-nexus-webhook-signature'] as string | undefined, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const target = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const made = await server.request('POST', '/api/v2/webhooks', { body: { url: `http://${target}/hook`, secretKey: 'hook-key', eventTypes: ['iq:applicationEvaluation'] } });
      expect(made.status, made.text).toBe(201);
      const tested = await server.request('POST', `/api/v2/webhooks/${(made.body as { id: string }).id}/test`);
      expect(tested.status, tested.text).toBe(200);
      expect(tested.body).toMatchObject({ delivered: true, statusCode: 200 });
      expect(proxy.passed.map((p) => p.target)).toContain(target);
      expect(received).toHaveLength(1);
      expect(received[0].signature).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      receiver.close();
    }
  });

  it('removing the configuration makes outbound requests go directly', async () => {
    expect((await server.request('DELETE', URL_)).status).toBe(204);
    expect((await server.request('GET', URL_)).status).toBe(404);
    expect(proxyFor('https://registry.npmjs.org/left-pad')).toBeUndefined();
  });
});
