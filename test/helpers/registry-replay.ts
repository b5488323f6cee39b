import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED, sharedFile } from './shared.js';

/** A fixed answer for one path, overriding the directory (e.g. a malformed body, a 500). */
export interface ReplayAnswer {
  status?: number;
  body?: string;
  contentType?: string;
}

export interface ReplayOptions {
  /**
   * Text in served bodies that stands for a registry's own address, and the path on this server
   * that replaces it: `{'https://api.nuget.org': '/nuget'}` makes a recorded NuGet answer's links
   * point here. Recorded answers name their registry's host; a replay must follow them locally.
   */
  origins?: Record<string, string>;
}

const TYPES: Record<string, string> = { json: 'application/json', xml: 'application/xml', pom: 'application/xml' };

/**
 * A stand-in for package registries on 127.0.0.1 that serves a directory laid out by endpoint path,
 * as ../shared/fixtures/registries and test/fixtures/registries/replay are: a request for
 * `/crates/api/v1/crates/rand` is answered with the file at that path, else with that path plus
 * `.json`; a path ending in `/json` (PyPI's `/pypi/<name>/json`) with the path before it plus
 * `.json`. Path segments are percent-decoded (deps.dev's `github.com%2Frs%2Fcors`). Anything else
 * is an empty 404, as registries answer for unknown packages. Every request path is recorded.
 */
export class RegistryReplay {
  readonly requests: string[] = [];
  private readonly answers = new Map<string, ReplayAnswer>();
  private server?: Server;
  url = '';

  constructor(
    private readonly root: string,
    private readonly options: ReplayOptions = {},
  ) {}

  /** Answers `path` (without query) with `answer` instead of the directory. */
  answer(path: string, answer: ReplayAnswer): this {
    this.answers.set(path, answer);
    return this;
  }

  /** How often a path (without query) was asked for. */
  hitsOf(path: string): number {
    return this.requests.filter((r) => r.split('?')[0] === path).length;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const raw = request.url ?? '/';
      const path = raw.split('?')[0];
      this.requests.push(raw);
      const fixed = this.answers.get(path);
      if (fixed) {
        response.writeHead(fixed.status ?? 200, { 'content-type': fixed.contentType ?? 'application/json' });
        response.end(fixed.body ?? '');
        return;
      }
      const file = this.fileFor(path);
      if (!file) {
        response.writeHead(404);
        response.end();
        return;
      }
      const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
      response.writeHead(200, { 'content-type': TYPES[extension] ?? 'text/plain; charset=utf-8' });
      response.end(this.rewrite(readFileSync(file, 'utf8')));
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server!.close(() => done()));
  }

  private fileFor(path: string): string | undefined {
    let segments: string[];
    try {
      segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return undefined;
    }
    if (segments.some((s) => s === '..' || s === '.')) return undefined;
    const base = resolve(this.root);
    const candidates = [join(base, ...segments), `${join(base, ...segments)}.json`];
    if (segments.at(-1) === 'json' && segments.length > 1) candidates.push(`${join(base, ...segments.slice(0, -1))}.json`);
    return candidates.find((c) => c.startsWith(base + sep) && existsSync(c) && statSync(c).isFile());
  }

  private rewrite(body: string): string {
    let out = body;
    for (const [origin, path] of Object.entries(this.options.origins ?? {})) out = out.split(origin).join(`${this.url}${path}`);
    return out;
  }
}

/** The hand-written and recorded answers committed here, laid out by endpoint path (see its PROVENANCE.tsv). */
export const OWN_REGISTRY_FIXTURES = fileURLToPath(new URL('../fixtures/registries/replay/', import.meta.url));

/** ../shared/fixtures/registries (recorded answers of the real registries), or undefined with a notice when absent. */
export function sharedRegistryFixtures(): string | undefined {
  return sharedFile('fixtures/registries/PROVENANCE.tsv') ? `${SHARED}fixtures/registries/` : undefined;
}
