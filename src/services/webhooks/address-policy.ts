import { BlockList, isIP } from 'node:net';
import type { Config } from '../../config/config.js';

/**
 * Where webhooks may not post (config `webhooks.allowLoopback` / `allowLinkLocal` lift it): a URL an
 * administrator enters must not turn the server into a way to reach its own machine or the cloud
 * provider's metadata service (which hands out credentials). Checked on the URL when a webhook is
 * saved, and on every address its host name resolves to when a delivery connects (send.ts), so a
 * name that later resolves elsewhere (DNS rebinding) is caught too.
 */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
// Cloud metadata services outside link-local: AWS's IPv6 one, Alibaba's.
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');
LINK_LOCAL.addAddress('100.100.100.200', 'ipv4');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('0.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::', 'ipv6');

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

type Policy = Pick<Config['webhooks'], 'allowLoopback' | 'allowLinkLocal'>;

/** `::ffff:169.254.169.254` is 169.254.169.254. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Why a delivery may not go to this IP address, or undefined when it may. */
export function refusedAddress(address: string, policy: Policy): string | undefined {
  const { address: a, family } = unmapped(address);
  if (!policy.allowLinkLocal && LINK_LOCAL.check(a, family)) {
    return `${address} is a link-local or cloud metadata address (allowed only with webhooks.allowLinkLocal)`;
  }
  if (!policy.allowLoopback && LOOPBACK.check(a, family)) {
    return `${address} is an address of this machine (allowed only with webhooks.allowLoopback)`;
  }
  return undefined;
}

/** Why a delivery may not go to this host name (literal addresses and metadata names), or undefined. */
export function refusedHost(hostname: string, policy: Policy): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (isIP(host)) return refusedAddress(host, policy);
  if (!policy.allowLinkLocal && METADATA_HOSTS.has(host)) return `${host} is a cloud metadata host (allowed only with webhooks.allowLinkLocal)`;
  if (!policy.allowLoopback && (host === 'localhost' || host.endsWith('.localhost'))) {
    return `${host} is this machine (allowed only with webhooks.allowLoopback)`;
  }
  return undefined;
}
