/**
 * Fetches pages of the NVD CVE API 2.0 to files. NVD allows 5 requests in a rolling 30 seconds
 * without an API key and 50 with one, so requests are spaced by a delay; 403, 429 and 503 (what
 * NVD answers when it is rate limiting or busy) and a connection that drops are tried again after a
 * back-off that doubles. The key travels only in the `apiKey` header: never in a URL, a log line
 * or an error message.
 *
 * Each page is gzipped on its way to disk (a page of 2,000 CVEs is tens of MB of JSON); the
 * importer reads gzip and plain files alike.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGzip } from 'node:zlib';
import { outboundFetch } from '../../core/outbound-http.js';

export interface NvdClientOptions {
  apiUrl: string;
  apiKey?: string;
  /** time between the starts of two requests */
  requestDelayMs: number;
  /** wait before the first retry; doubles with each */
  retryDelayMs: number;
  /** tries after the first */
  maxRetries: number;
  /** give up on a request when no byte arrives for this long */
  idleTimeoutMs: number;
  /** largest page accepted, in bytes */
  maxPageBytes: number;
  /** the clock requests are spaced by (the real one unless a test gives its own) */
  clock?: Clock;
}

/** What spacing requests needs of time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export class NvdApiError extends Error {}

/** HTTP statuses NVD answers when it is rate limiting or overloaded: worth another try. */
const RETRIED_STATUSES = new Set([403, 429, 503]);

/** A connection that was made, then dropped: worth another try (unlike one that cannot be made at all). */
const RETRIED_NETWORK_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The longest wait a Retry-After header may ask for. */
const MAX_RETRY_AFTER_MS = 120_000;

class RetryableError extends NvdApiError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const REAL_CLOCK: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** A URL as it may appear in messages: without an apiKey query parameter, should someone put one there. */
export function shownUrl(url: string): string {
  return url.replace(/([?&]apiKey=)[^&#]*/gi, '$1***');
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

export class NvdClient {
  private nextRequestAt = 0;
  /** requests sent, retries included */
  requests = 0;

  private readonly clock: Clock;

  constructor(private readonly options: NvdClientOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
  }

  /** The URL of one page (no key: that goes in a header). */
  pageUrl(params: Record<string, string | number>): string {
    const url = new URL(this.options.apiUrl);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
    return url.toString();
  }

  /** Fetches one page into `destination` (gzipped), trying again as described above. */
  async fetchPage(params: Record<string, string | number>, destination: string): Promise<void> {
    const url = this.pageUrl(params);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.fetchOnce(url, destination);
        return;
      } catch (err) {
        if (!(err instanceof RetryableError) || attempt >= this.options.maxRetries) {
          const tries = attempt > 0 ? ` (after ${attempt + 1} tries)` : '';
          throw err instanceof NvdApiError ? new NvdApiError(`${err.message}${tries}`) : err;
        }
        const backOff = this.options.retryDelayMs * 2 ** attempt;
        await this.clock.sleep(Math.max(backOff, Math.min(err.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
      }
    }
  }

  private async fetchOnce(url: string, destination: string): Promise<void> {
    const wait = this.nextRequestAt - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    this.nextRequestAt = this.clock.now() + this.options.requestDelayMs;
    this.requests++;
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(), this.options.idleTimeoutMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), this.options.idleTimeoutMs);
    };
    const shown = shownUrl(url);
    try {
      let response: Response;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (this.options.apiKey) headers.apiKey = this.options.apiKey;
        response = await outboundFetch(url, { headers, signal: controller.signal });
      } catch (err) {
        const reason = controller.signal.aborted ? 'timed out' : networkReason(err);
        const message = `cannot reach ${shown} (${reason})`;
        throw RETRIED_NETWORK_ERRORS.has(reason) ? new RetryableError(message) : new NvdApiError(message);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        // NVD explains refusals in a `message` header (e.g. an invalid parameter).
        const explanation = response.headers.get('message');
        const message = `${shown} answered ${response.status} ${response.statusText}`.trim() + (explanation ? `: ${explanation.slice(0, 300)}` : '');
        if (RETRIED_STATUSES.has(response.status)) {
          const after = Number(response.headers.get('retry-after'));
          throw new RetryableError(message, Number.isFinite(after) ? after * 1000 : undefined);
        }
        throw new NvdApiError(message);
      }
      let received = 0;
      const maxBytes = this.options.maxPageBytes;
      const counted = async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          received += chunk.length;
          if (received > maxBytes) throw new NvdApiError(`${shown} sent more than the limit of ${maxBytes} bytes for one page`);
          touch();
          yield chunk;
        }
      };
      try {
        await pipeline(Readable.fromWeb(response.body as WebReadableStream), counted, createGzip({ level: 1 }), createWriteStream(destination));
      } catch (err) {
        if (err instanceof NvdApiError) throw err;
        throw new RetryableError(`${shown} broke off after ${received} bytes (${controller.signal.aborted ? 'timed out' : networkReason(err)})`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
