import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../../config/config.js';
import { PRODUCT_VERSION } from '../../version.js';
import { refusedAddress, refusedHost } from './address-policy.js';

export interface Outgoing {
  url: string;
  secretKey: string | null;
  eventType: string;
  deliveryId: string;
  body: string;
}

export interface SendResult {
  ok: boolean;
  /** The receiver's HTTP status; absent when none answered. */
  status?: number;
  /** Why it failed, for the deliveries listing. */
  error?: string;
  ms: number;
}

/** The headers IQ Server sends with a webhook (its help page "Lifecycle Webhooks"), for this body. */
export function webhookHeaders(out: Outgoing): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'User-Agent': `Tollgate/${PRODUCT_VERSION}`,
    'X-Nexus-Webhook-Id': out.eventType,
    'X-Nexus-Webhook-Delivery': out.deliveryId,
  };
  if (out.secretKey) {
    headers['X-Nexus-Webhook-Signature'] = createHmac('sha1', out.secretKey).update(out.body, 'utf8').digest('hex');
    headers['X-Nexus-Webhook-Signature-Algorithm'] = 'HmacSHA1';
  }
  return headers;
}

/**
 * POSTs one delivery. Never throws: every failure (refused address, connection refused, timeout,
 * a status other than 2xx) is a result with its reason. Redirects are not followed (a 3xx is a
 * failure naming where it pointed), so a receiver cannot send the signed body on to another host.
 * The host name is resolved here and every address checked against the address policy before
 * connecting to it.
 */
export function sendWebhook(out: Outgoing, options: Pick<Config['webhooks'], 'timeoutMs' | 'allowLoopback' | 'allowLinkLocal'>): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'ms'>): SendResult => ({ ...r, ms: Math.round(performance.now() - started) });
  let url: URL;
  try {
    url = new URL(out.url);
  } catch {
    return Promise.resolve(done({ ok: false, error: 'invalid URL' }));
  }
  const refused = refusedHost(url.hostname, options);
  if (refused) return Promise.resolve(done({ ok: false, error: `not sent: ${refused}` }));
  const lookup = (hostname: string, opts: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const why = refusedAddress(a.address, options);
        if (why) return callback(Object.assign(new Error(`not sent: ${hostname} resolves to ${why}`), { code: 'EREFUSEDADDRESS' }), []);
      }
      if ((opts as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const request = client.request(url, {
      method: 'POST',
      headers: { ...webhookHeaders(out), 'Content-Length': String(Buffer.byteLength(out.body)) },
      lookup: lookup as never,
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('error', (err) => finish({ ok: false, error: err.message || (err as NodeJS.ErrnoException).code || 'request failed' }));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      // The answer's body is not needed; read it away so the socket closes cleanly.
      response.resume();
      response.on('error', () => undefined);
      response.on('end', () => {
        if (status >= 200 && status < 300) return finish({ ok: true, status });
        const location = response.headers.location;
        const error = status >= 300 && status < 400 ? `redirect${location ? ` to ${location}` : ''} not followed` : `HTTP ${status}`;
        finish({ ok: false, status, error });
      });
    });
    request.end(out.body);
  });
}
