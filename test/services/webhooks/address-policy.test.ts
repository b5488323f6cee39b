import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { refusedAddress, refusedHost } from '../../../src/services/webhooks/address-policy.js';
import { retryDelayMs } from '../../../src/services/webhooks/delivery.js';
import { sendWebhook } from '../../../src/services/webhooks/send.js';

const strict = { allowLoopback: false, allowLinkLocal: false };

describe('where webhooks may post', () => {
  it('refuses link-local and metadata addresses and names, and this machine, unless the configuration allows them', () => {
    for (const address of ['169.254.169.254', '169.254.0.1', 'fe80::1', 'febf::1', '::ffff:169.254.169.254', 'fd00:ec2::254', '100.100.100.200']) {
      expect(refusedAddress(address, strict), address).toMatch(/link-local or cloud metadata/);
      expect(refusedAddress(address, { ...strict, allowLinkLocal: true }), address).toBeUndefined();
    }
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(refusedAddress(address, strict), address).toMatch(/this machine/);
      expect(refusedAddress(address, { ...strict, allowLoopback: true }), address).toBeUndefined();
    }
    for (const address of ['10.1.2.3', '192.168.1.10', '172.16.0.1', '8.8.8.8', '2001:db8::1', 'fec0::1']) {
      expect(refusedAddress(address, strict), address).toBeUndefined();
    }
    expect(refusedHost('metadata.google.internal', strict)).toMatch(/metadata host/);
    expect(refusedHost('METADATA.GOOGLE.INTERNAL.', strict)).toMatch(/metadata host/);
    expect(refusedHost('[fe80::1]', strict)).toMatch(/link-local/);
    expect(refusedHost('localhost', strict)).toMatch(/this machine/);
    expect(refusedHost('hooks.example.com', strict)).toBeUndefined();
  });

  it('is checked again when a delivery is sent, before connecting', async () => {
    // A webhook saved while allowLoopback was on is not sent once it is off.
    const out = { url: 'http://127.0.0.1:9/', secretKey: null, eventType: 'iq:policyManagement', deliveryId: 'x', body: '{}' };
    expect(await sendWebhook(out, { ...strict, timeoutMs: 1000 })).toMatchObject({ ok: false, error: expect.stringMatching(/^not sent: .*this machine/) });
    const named = await sendWebhook({ ...out, url: 'http://localhost:9/' }, { ...strict, timeoutMs: 1000 });
    expect(named).toMatchObject({ ok: false, error: expect.stringMatching(/^not sent: /) });
  });
});

describe('retries', () => {
  it('start within seconds and double up to the most configured; the defaults keep trying for two days', () => {
    const config = loadConfig({ file: false, env: {} }).webhooks;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(config, n))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(config, 30)).toBe(3_600_000);
    expect(config.giveUpAfterHours).toBeGreaterThanOrEqual(24);
    expect(config.allowLoopback).toBe(false);
    expect(config.allowLinkLocal).toBe(false);
  });
});
