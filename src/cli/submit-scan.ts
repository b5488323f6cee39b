import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type IqClient, IqRequestError } from './iq-client.js';

/** Waits before the second and third attempt of a submission. */
export const SUBMIT_RETRY_DELAYS_MS = [1000, 3000];

/** Unreachable or timed out (0), or a proxy or a draining server that did not take it (502–504). */
function retryable(status: number): boolean {
  return status === 0 || status === 502 || status === 503 || status === 504;
}

/**
 * Posts a third-party scan, retrying on a connection error, a time-out or a 502/503/504. Every
 * attempt carries one `Idempotency-Key`, generated once per run, so a scan the server stored although
 * its answer was lost is answered again rather than stored twice (Tollgate; IQ Server ignores it).
 */
export async function submitScanWithRetries(
  client: IqClient,
  path: string,
  body: { contentType: string; data: string },
  options: { key?: string; delaysMs?: readonly number[] } = {},
): Promise<{ statusUrl: string }> {
  const key = options.key ?? randomUUID();
  const delays = options.delaysMs ?? SUBMIT_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await client.json<{ statusUrl: string }>('POST', path, body, [200, 202], { 'idempotency-key': key })).body;
    } catch (err) {
      if (!(err instanceof IqRequestError) || !retryable(err.status) || attempt >= delays.length) throw err;
      await sleep(delays[attempt]);
    }
  }
}
