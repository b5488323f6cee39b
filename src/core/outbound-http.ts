import type { Dispatcher, ProxyAgent } from 'undici';

/**
 * Every outbound HTTP request Tollgate makes (registries, OSV/NVD/exploitation feeds, Jira) goes
 * through `outboundFetch`, which sends it through the configured HTTP proxy unless the host is
 * excluded. The proxy is the process's, like the registry circuit breakers: the service that
 * stores the reference's HTTP proxy server configuration sets it here when a context opens, when
 * an administrator changes it, and now and then from the database (other nodes' changes).
 *
 * Proxied requests use undici's own fetch with its ProxyAgent (a dispatcher of one undici version
 * is not guaranteed to work with the fetch bundled in another Node version); direct requests keep
 * Node's fetch. undici is loaded on the first proxied request only: the command-line client bundles
 * this module (through the ecosystem descriptors) and never needs it (scripts/build-cli.mjs leaves
 * it out).
 */
export interface OutboundProxy {
  hostname: string;
  port: number;
  username?: string;
  password?: string;
  /** Host patterns reached directly: `example.com`, `*.example.com`, `10.*`; case does not matter. */
  excludeHosts: string[];
}

interface Current {
  proxy: OutboundProxy;
  /** Made on the first request through the proxy. */
  agent?: Promise<{ agent: ProxyAgent; fetch: typeof import('undici').fetch }>;
  excluded: RegExp[];
  key: string;
}

let current: Current | undefined;

/** A host pattern as a whole-name match: `*` stands for any run of characters. */
function hostPattern(pattern: string): RegExp {
  const escaped = pattern
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/** Sets (or with undefined, removes) the proxy every later outbound request uses. */
export function setOutboundProxy(proxy: OutboundProxy | undefined): void {
  const key = proxy ? JSON.stringify(proxy) : '';
  if ((current?.key ?? '') === key) return;
  const previous = current;
  current = proxy ? { proxy, key, excluded: proxy.excludeHosts.filter((h) => h.trim()).map(hostPattern) } : undefined;
  // Requests already under way keep their connections; the old agent closes once they end.
  previous?.agent?.then(({ agent }) => agent.close()).catch(() => undefined);
}

async function proxyAgent(proxy: OutboundProxy) {
  const undici = await import('undici');
  const host = proxy.hostname.includes(':') ? `[${proxy.hostname}]` : proxy.hostname;
  const agent = new undici.ProxyAgent({
    uri: `http://${host}:${proxy.port}`,
    ...(proxy.username ? { token: `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}` } : {}),
  });
  return { agent, fetch: undici.fetch };
}

/** The proxy a request to `url` goes through, or undefined when it goes directly. */
export function proxyFor(url: string | URL): OutboundProxy | undefined {
  if (!current) return undefined;
  const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return current.excluded.some((p) => p.test(host)) ? undefined : current.proxy;
}

/** `fetch`, through the configured proxy unless the URL's host is excluded. */
export async function outboundFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const through = current;
  if (!through || !proxyFor(url)) return fetch(url, init);
  through.agent ??= proxyAgent(through.proxy);
  const { agent, fetch: undiciFetch } = await through.agent;
  try {
    // undici's RequestInit and Response are the WHATWG ones Node's fetch has; their TypeScript types differ in detail.
    return (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent as Dispatcher })) as unknown as Response;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') throw err;
    // undici reports a proxy that refuses the tunnel (a 407 for wrong credentials) as "Request was
    // cancelled": callers show the cause, so make it say the proxy was in the way.
    const cause = (err as { cause?: { code?: unknown; message?: string } }).cause;
    const reason = typeof cause?.code === 'string' ? cause.code : (cause?.message ?? (err as Error).message);
    const { hostname, port } = through.proxy;
    throw new TypeError('fetch failed', {
      cause: new Error(`through the HTTP proxy ${hostname}:${port}: ${reason}; check the proxy's address and credentials, or exclude the host (PUT /api/v2/config/httpProxyServer)`),
    });
  }
}
