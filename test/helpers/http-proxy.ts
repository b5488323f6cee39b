import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

/** What passed through the test proxy: the target (host:port) and the proxy credentials sent. */
export interface ProxiedRequest {
  method: string;
  target: string;
  proxyAuthorization?: string;
}

/**
 * A small real HTTP proxy on 127.0.0.1, written with node:http: CONNECT tunnels (what undici's
 * ProxyAgent opens, for http and https targets alike) and absolute-URI forwarding. With
 * `credentials`, requests without the matching Proxy-Authorization get 407.
 */
export class TestHttpProxy {
  readonly passed: ProxiedRequest[] = [];
  private server?: Server;
  port = 0;

  constructor(private readonly credentials?: { username: string; password: string }) {}

  private allowed(header: string | undefined): boolean {
    if (!this.credentials) return true;
    return header === `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '');
      this.passed.push({ method: req.method ?? '', target: url.host, proxyAuthorization: req.headers['proxy-authorization'] });
      if (!this.allowed(req.headers['proxy-authorization'])) {
        res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
        return;
      }
      const { 'proxy-authorization': _a, ...headers } = req.headers;
      const upstream = httpRequest(url, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    server.on('connect', (req, socket, head) => {
      this.passed.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'] });
      if (!this.allowed(req.headers['proxy-authorization'])) {
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
        return;
      }
      const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
      const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
