import { admit, answered, unreachable } from './circuit-breaker.js';
import { RegistryNotFoundError, RegistryUnavailableError, RegistryUnreachableError } from './errors.js';
import { outboundFetch } from '../../core/outbound-http.js';

export interface RegistryResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

export interface GetOptions {
  /** What is asked for, for messages: `npm package "left-pad"`. */
  what: string;
  accept?: string;
}

export interface RegistryClientOptions {
  /** The registry's name in messages: `the npm registry`, `Maven Central`, `PyPI`. */
  registry: string;
  timeoutMs: number;
  /** Largest answer read, in bytes; a larger one is refused rather than filling memory. */
  maxBytes?: number;
}

// The full documents of npm packages with thousands of versions run to tens of megabytes.
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * GETs from one registry with the failure handling every adapter wants: a time limit, one retry
 * after a 5xx or a dropped connection (registries and their CDNs fail transiently), 404 as
 * "not found", and every other failure as an error that names the registry, the thing and the URL.
 * A host that cannot be reached opens its circuit (circuit-breaker.ts): requests to it then fail
 * at once with RegistryUnreachableError until its back-off ends.
 */
export class RegistryClient {
  constructor(private readonly options: RegistryClientOptions) {}

  get registry(): string {
    return this.options.registry;
  }

  /** The answer; throws RegistryNotFoundError on 404 and RegistryUnavailableError on other failures. */
  async get(url: string, options: GetOptions): Promise<RegistryResponse> {
    const response = await this.getOptional(url, options);
    if (!response) throw new RegistryNotFoundError(`${options.what} was not found in ${this.registry}.`);
    return response;
  }

  /** Like get(), but a 404 gives null. */
  async getOptional(url: string, options: GetOptions): Promise<RegistryResponse | null> {
    let response = await this.attempt(url, options, false);
    if (response === 'retry') response = await this.attempt(url, options, true);
    if (response === 'retry') throw new Error('unreachable');
    return response;
  }

  async getJson(url: string, options: GetOptions): Promise<unknown> {
    const response = await this.get(url, { accept: 'application/json', ...options });
    try {
      return JSON.parse(response.text);
    } catch (err) {
      throw new RegistryUnavailableError(
        `${this.registry} answered with invalid JSON for ${options.what} (${safeUrl(url)}): ${(err as Error).message}`,
      );
    }
  }

  private async attempt(url: string, options: GetOptions, isRetry: boolean): Promise<RegistryResponse | null | 'retry'> {
    const { registry, timeoutMs } = this.options;
    const where = `${options.what} (${safeUrl(url)})`;
    // The retry belongs to the request admitted first (a half-open circuit's probe included).
    if (!isRetry) admit(url, registry);
    const down = (message: string, cause: string) => new RegistryUnreachableError(message, unreachable(url, registry, cause));
    let response: Response;
    let text: string;
    try {
      response = await outboundFetch(url, {
        headers: { accept: options.accept ?? '*/*', 'user-agent': 'Tollgate' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
      if (response.status >= 500) {
        await response.body?.cancel();
        if (!isRetry) return 'retry';
        const status = `HTTP ${response.status} ${response.statusText}`;
        throw down(`${registry} failed to answer for ${where}: ${status}, also when asked again.`, status);
      }
      answered(url, registry);
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (response.status >= 400) {
        await response.body?.cancel();
        throw new RegistryUnavailableError(`${registry} refused the request for ${where}: HTTP ${response.status} ${response.statusText}.`);
      }
      text = await readLimited(response, this.options.maxBytes ?? DEFAULT_MAX_BYTES);
    } catch (err) {
      if (err instanceof RegistryUnavailableError) throw err;
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw down(`${registry} did not answer within ${timeoutMs} ms (registries.timeoutMs) for ${where}.`, `no answer within ${timeoutMs} ms`);
      }
      if (err instanceof TooLargeError) {
        throw new RegistryUnavailableError(`${registry} sent more than ${err.limit} bytes for ${where}; the answer was not read.`);
      }
      if (!isRetry) return 'retry';
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw down(`${registry} could not be reached for ${where}: ${cause}.`, cause);
    }
    return { url, status: response.status, headers: response.headers, text };
  }
}

class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new TooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The URL without credentials, for messages. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Joins a configured base URL and a path, whatever slashes either has. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
