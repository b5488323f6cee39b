import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import {
  clearRegistryCache,
  configureRegistryCircuits,
  RegistryUnreachableError,
  registryMetadata,
  registryUnreachable,
  resetRegistryCircuits,
} from '../../../src/intel/registries/index.js';
import type { AppContext } from '../../../src/core/context.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * The circuit breaker against real sockets on 127.0.0.1: a port nothing listens on (refused), a
 * server that accepts connections and drops them at once (counting them), and an HTTP server that
 * answers 503 until told otherwise (counting requests).
 */
let server: TestServer;
let dropping: NetServer;
let connections = 0;
let flaky: HttpServer;
let flakyRequests = 0;
let flakyUp = false;
let refusedUrl = '';
let droppingUrl = '';
let flakyUrl = '';
const lines: Array<{ level: string; message: string }> = [];
const logger = {
  warn: (_obj: unknown, message?: string) => lines.push({ level: 'warn', message: message ?? '' }),
  info: (_obj: unknown, message?: string) => lines.push({ level: 'info', message: message ?? '' }),
};
let clock = new Date('2026-11-23T12:00:00.000Z');

const listen = (s: NetServer | HttpServer) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (err: Error) => err);

function ctxWith(registries: Partial<Config['registries']>): AppContext {
  const base = server.ctx;
  return { ...base, config: { ...base.config, registries: { ...base.config.registries, ...registries } } };
}

beforeAll(async () => {
  // A port that was just free and is closed again: connections to it are refused.
  const probe = createNetServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  refusedUrl = `http://127.0.0.1:${port}`;
  dropping = createNetServer((socket) => {
    connections++;
    socket.destroy();
  });
  droppingUrl = `http://127.0.0.1:${await listen(dropping)}`;
  flaky = createHttpServer((req, res) => {
    flakyRequests++;
    if (!flakyUp) {
      res.statusCode = 503;
      res.end('down for maintenance');
      return;
    }
    res.setHeader('content-type', 'application/json');
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    res.end(JSON.stringify({ name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': { license: 'MIT' } }, time: { '1.0.0': '2020-01-01T00:00:00Z' } }));
  });
  flakyUrl = `http://127.0.0.1:${await listen(flaky)}`;
  server = await startTestServer({ registries: { offline: false } });
});

afterAll(async () => {
  await server?.close();
  dropping?.close();
  flaky?.closeAllConnections();
  await new Promise((resolve) => flaky?.close(resolve));
});

beforeEach(async () => {
  clock = new Date('2026-11-23T12:00:00.000Z');
  resetRegistryCircuits({ clock: () => clock });
  configureRegistryCircuits({ downMs: 60_000, downMaxMs: 240_000 }, logger);
  lines.length = 0;
  connections = 0;
  flakyRequests = 0;
  flakyUp = false;
  await clearRegistryCache(server.ctx);
});

describe('circuit breaker per registry host', () => {
  it('a refused port costs one failure: every lookup after it fails at once, saying since and until when', async () => {
    const ctx = ctxWith({ npm: { url: refusedUrl } });
    const first = await caught(registryMetadata(ctx, { format: 'npm', name: 'pkg-0' }));
    expect(first).toBeInstanceOf(RegistryUnreachableError);
    expect(first?.message).toMatch(/^the npm registry could not be reached for npm package "pkg-0" .*ECONNREFUSED/);
    const rest = await Promise.all(Array.from({ length: 20 }, (_, i) => caught(registryMetadata(ctx, { format: 'npm', name: `pkg-${i + 1}` }))));
    for (const err of rest) {
      expect(err).toBeInstanceOf(RegistryUnreachableError);
      expect(err?.message).toMatch(
        /^the npm registry \(http:\/\/127\.0\.0\.1:\d+\) has been unreachable since 2026-11-23T12:00:00\.000Z \(connect ECONNREFUSED [^)]+\); it is not asked again until 2026-11-23T12:01:00\.000Z\.$/,
      );
    }
    expect(registryUnreachable('npm')).toMatchObject({ since: new Date('2026-11-23T12:00:00.000Z'), until: new Date('2026-11-23T12:01:00.000Z') });
    // One line for the outage, not one per package.
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('a host that drops connections is connected to once (and its one retry) for any number of packages', async () => {
    const ctx = ctxWith({ npm: { url: droppingUrl } });
    const errors = [];
    for (let i = 0; i < 25; i++) errors.push(await caught(registryMetadata(ctx, { format: 'npm', name: `pkg-${i}` })));
    expect(errors.every((e) => e instanceof RegistryUnreachableError)).toBe(true);
    expect(connections).toBe(2);
  });

  it('5xx opens the circuit; after the back-off one probe goes through; an answer closes it, a failure doubles the wait', async () => {
    const ctx = ctxWith({ npm: { url: flakyUrl } });
    const first = await caught(registryMetadata(ctx, { format: 'npm', name: 'a' }));
    expect(first?.message).toMatch(/HTTP 503 Service Unavailable, also when asked again\.$/);
    expect(flakyRequests).toBe(2);
    expect(await caught(registryMetadata(ctx, { format: 'npm', name: 'b' }))).toBeInstanceOf(RegistryUnreachableError);
    expect(flakyRequests).toBe(2);

    // Past the back-off, still down: the probe (with its retry) fails and the wait doubles to 120 s.
    clock = new Date('2026-11-23T12:01:00.000Z');
    const probe = await caught(registryMetadata(ctx, { format: 'npm', name: 'c' }));
    expect(probe?.message).toMatch(/HTTP 503/);
    expect(flakyRequests).toBe(4);
    expect(registryUnreachable('npm')?.until).toEqual(new Date('2026-11-23T12:03:00.000Z'));
    clock = new Date('2026-11-23T12:02:59.000Z');
    expect((await caught(registryMetadata(ctx, { format: 'npm', name: 'c' })))?.message).toMatch(/since 2026-11-23T12:00:00\.000Z .*until 2026-11-23T12:03:00\.000Z/);
    expect(flakyRequests).toBe(4);

    // Back up: the next probe answers, the circuit closes, lookups go through again.
    flakyUp = true;
    clock = new Date('2026-11-23T12:03:00.000Z');
    expect((await registryMetadata(ctx, { format: 'npm', name: 'c' })).latest).toBe('1.0.0');
    expect(registryUnreachable('npm')).toBeUndefined();
    expect((await registryMetadata(ctx, { format: 'npm', name: 'd' })).latest).toBe('1.0.0');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(lines[1].message).toBe('the npm registry answers again; registry lookups resume');
  });

  it('the wait doubles up to registries.downMaxSeconds', async () => {
    const ctx = ctxWith({ npm: { url: flakyUrl } });
    await caught(registryMetadata(ctx, { format: 'npm', name: 'a' }));
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const down = registryUnreachable('npm')!;
      waits.push((down.until.getTime() - clock.getTime()) / 1000);
      clock = down.until;
      await caught(registryMetadata(ctx, { format: 'npm', name: 'a' }));
    }
    expect(waits).toEqual([60, 120, 240, 240]);
  });

  it('keeps hosts apart: one registry down leaves another asked', async () => {
    await caught(registryMetadata(ctxWith({ npm: { url: refusedUrl } }), { format: 'npm', name: 'a' }));
    flakyUp = true;
    expect((await registryMetadata(ctxWith({ npm: { url: flakyUrl } }), { format: 'npm', name: 'a' })).latest).toBe('1.0.0');
  });
});
