import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server answering `POST /rest/api/2/issue` as Jira's REST API does, keeping what it was sent. */
export class JiraStub {
  readonly issues: Array<{ authorization?: string; body: { fields: Record<string, unknown> } }> = [];
  /** Answers to give before the normal ones (e.g. a 500), one per request. */
  readonly failures: Array<{ status: number; body: unknown }> = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/rest/api/2/issue') {
          res.writeHead(404).end();
          return;
        }
        const failure = this.failures.shift();
        if (failure) {
          res.writeHead(failure.status, { 'content-type': 'application/json' }).end(JSON.stringify(failure.body));
          return;
        }
        this.issues.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        const id = String(10000 + this.issues.length);
        const project = (this.issues.at(-1)!.body.fields.project as { key: string }).key;
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, key: `${project}-${this.issues.length}`, self: `${this.url}/rest/api/2/issue/${id}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
