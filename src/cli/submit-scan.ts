import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type IqClient, IqRequestError } from './iq-client.js';

/** Waits before the second and third attempt of a submission. */
export const SUBMIT_RETRY_DELAYS_MS = [1000, 3000];

/** The longest `Retry-After` a submission waits for; a server asking for more is answered with the error. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/** Unreachable or timed out (0), or a proxy or a draining server that did not take it (502–504). */
function retryable(status: number): boolean {
  return status === 0 || status === 502 || status === 503 || status === 504;
}

/**
 * Posts a third-party scan, retrying on a connection error, a time-out or a 502/503/504 (and a 429
 * that asks to wait at most 30 s), after the server's `Retry-After` where it gives one. Every
 * attempt carries one `Idempotency-Key`, generated once per run, so a scan the server stored although
 * its answer was lost is answered again rather than stored twice (Tollgate; IQ Server ignores it).
 */
export async function submitScanWithRetries(
  client: IqClient,
  path: string,
  body: { contentType: string; data: string },
  options: { key?: string; delaysMs?: readonly number[]; sleep?: (ms: number) => Promise<unknown> } = {},
): Promise<{ statusUrl: string }> {
  const key = options.key ?? randomUUID();
  const delays = options.delaysMs ?? SUBMIT_RETRY_DELAYS_MS;
  const wait = options.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await client.json<{ statusUrl: string }>('POST', path, body, [200, 202], { 'idempotency-key': key })).body;
    } catch (err) {
      if (!(err instanceof IqRequestError) || attempt >= delays.length) throw err;
      // A server that is full (upload budget 503, rate limit 429) says when to come back: wait that
      // long when it is short, rather than spending the attempts before it has room.
      const asked = err.retryAfterSeconds;
      const shortAsk = asked !== undefined && asked <= MAX_RETRY_AFTER_SECONDS;
      if (!(retryable(err.status) || (err.status === 429 && shortAsk))) throw err;
      await wait(Math.max(delays[attempt], shortAsk ? asked * 1000 : 0));
    }
  }
}
