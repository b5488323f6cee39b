import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the recorded and hand-written registry answers live. */
export const FIXTURES = new URL('../../fixtures/registries/', import.meta.url);

export function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer: the client's time limit must end the request. */
  hang?: boolean;
}

/** Answers by the raw request path (`/@types%2fsemver`, query excluded), or computed from the request. */
export type Route = Answer | ((request: IncomingMessage, url: URL) => Answer);

/**
 * A stand-in registry on 127.0.0.1 replaying fixed answers; unknown paths get an empty 404, as the
 * npm registry gives. Counts requests per path so tests can tell what reached "the registry".
 */
export class ReplayServer {
  readonly hits = new Map<string, number>();
  readonly requests: string[] = [];
  private readonly routes = new Map<string, Route>();
  private server?: Server;
  url = '';

  route(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  /** Serves a fixture file at a path, as JSON or XML by its extension. */
  file(path: string, fixturePath: string, headers: Record<string, string> = {}): this {
    const type = fixturePath.endsWith('.json') ? 'application/json' : 'application/xml';
    return this.route(path, { body: fixture(fixturePath), headers: { 'content-type': type, ...headers } });
  }

  hitsOf(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  resetHits(): void {
    this.hits.clear();
    this.requests.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const raw = request.url ?? '/';
      const path = raw.split('?')[0];
      this.hits.set(path, this.hitsOf(path) + 1);
      this.requests.push(raw);
      const route = this.routes.get(path);
      const answer: Answer = typeof route === 'function' ? route(request, new URL(raw, 'http://replay')) : (route ?? { status: 404 });
      if (answer.hang) return;
      response.writeHead(answer.status ?? 200, answer.headers ?? {});
      response.end(answer.body ?? '');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
